package dev.rewind.registry.check;

/** Where and as whom to reach a source server. The password is never printed. */
public record SourceConnection(String host, int port, String username, String password) {

    /** host:port, for messages. */
    public String address() {
        return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "SourceConnection[" + username + "@" + address() + ", password=***]";
    }
}
