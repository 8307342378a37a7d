package dev.rewind.agent.security;

import dev.rewind.commons.security.SecretTokens;

/** Secrets handed out once (agent API keys, registration tokens) and the SHA-256 hashes that are all we keep. */
public final class ApiKeys {

    /** Every agent API key starts with this. */
    public static final String KEY_PREFIX = "bak_";
    /** Every registration token starts with this. */
    public static final String TOKEN_PREFIX = "brt_";

    private static final int SECRET_BYTES = 32;

    private ApiKeys() {
    }

    /** A new agent API key: {@code bak_} and 32 random bytes, base64url without padding (43 characters). */
    public static String newApiKey() {
        return KEY_PREFIX + randomPart();
    }

    /** A new registration token: {@code brt_} and 32 random bytes, base64url. */
    public static String newRegistrationToken() {
        return TOKEN_PREFIX + randomPart();
    }

    /** The SHA-256 of a secret as 64 lowercase hex digits, the form the database keeps. */
    public static String sha256Hex(String secret) {
        return SecretTokens.sha256Hex(secret);
    }

    /** Compares two hex hashes in time independent of where they differ. */
    public static boolean sameHash(String expectedHex, String actualHex) {
        return SecretTokens.sameHexHash(expectedHex, actualHex);
    }

    private static String randomPart() {
        return SecretTokens.randomPart(SECRET_BYTES);
    }
}
