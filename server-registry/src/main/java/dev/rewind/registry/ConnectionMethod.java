package dev.rewind.registry;

/** How Rewind reaches a server. Stored and sent on the wire in lower case. */
public enum ConnectionMethod {
    direct, ssh_tunnel, vpn
}
