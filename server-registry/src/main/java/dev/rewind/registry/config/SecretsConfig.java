package dev.rewind.registry.config;

import io.smallrye.config.ConfigMapping;

/** Keys for secrets at rest. */
@ConfigMapping(prefix = "rewind.secrets")
public interface SecretsConfig {

    /** The AES-256 key that encrypts server passwords: base64 of 32 random bytes, from the environment. */
    String key();
}
