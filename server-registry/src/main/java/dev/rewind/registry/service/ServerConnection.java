package dev.rewind.registry.service;

import dev.rewind.registry.Server;

/** A server with its decrypted password, for service accounts only. Never printed. */
public record ServerConnection(Server server, String password) {

    @Override
    public String toString() {
        return "ServerConnection[" + server.id + ", password=***]";
    }
}
