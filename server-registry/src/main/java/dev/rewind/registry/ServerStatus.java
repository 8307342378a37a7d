package dev.rewind.registry;

/** Where a server is in its life. Stored and sent on the wire in lower case. */
public enum ServerStatus {
    onboarding, active, error, decommissioned
}
