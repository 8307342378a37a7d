package dev.rewind.registry.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Keys for secrets at rest (see {@code SecretCipher}). */
@ConfigMapping(prefix = "rewind.secrets")
public interface SecretsConfig {

    /** The AES-256 key that encrypts server passwords: base64 of 32 random bytes, from the environment. */
    String key();

    /** The name of {@link #key()}, stored with every value it encrypts. */
    @WithDefault("k1")
    String keyId();

    /** Keys that only decrypt, while values are re-encrypted: {@code id:base64,id:base64}. */
    Optional<String> previousKeys();

    /** The key that decrypts values stored before key ids (no prefix); default {@link #keyId()}. */
    Optional<String> legacyKeyId();
}
