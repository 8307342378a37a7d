package dev.rewind.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The onboarding of servers: what customers are told and how a server is checked before it is accepted. */
@ConfigMapping(prefix = "rewind.onboarding")
public interface OnboardingConfig {

    /**
     * The IP address Rewind connects from, which ssh_tunnel customers whitelist on their jump host; shown by
     * GET /servers/{id}/onboarding-status while a server is at awaiting_firewall.
     */
    String agentOutboundIp();

    /** The connection check run before a server (or a changed host, port or credential) is accepted. */
    ConnectionCheck connectionCheck();

    interface ConnectionCheck {

        /** How long connecting to the source, and each query of the check, may take. */
        @WithDefault("5s")
        Duration timeout();
    }
}
