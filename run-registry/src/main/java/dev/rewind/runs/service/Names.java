package dev.rewind.runs.service;

/** Names a client chose (run ids, job names) as PostgreSQL can hold them. */
final class Names {

    private Names() {
    }

    /** False for a name PostgreSQL text cannot hold (a NUL character): no row can have it, so it is simply not found. */
    static boolean storable(String name) {
        return name != null && name.indexOf('\0') < 0;
    }
}
