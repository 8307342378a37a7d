package dev.rewind.agent.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/** Secrets handed out once (agent API keys, registration tokens) and the SHA-256 hashes that are all we keep. */
public final class ApiKeys {

    /** Every agent API key starts with this. */
    public static final String KEY_PREFIX = "bak_";
    /** Every registration token starts with this. */
    public static final String TOKEN_PREFIX = "brt_";

    private static final SecureRandom RANDOM = new SecureRandom();
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
        return HexFormat.of().formatHex(sha256(secret));
    }

    /** Compares two hex hashes in time independent of where they differ. */
    public static boolean sameHash(String expectedHex, String actualHex) {
        if (expectedHex == null || actualHex == null) {
            return false;
        }
        return MessageDigest.isEqual(expectedHex.trim().getBytes(StandardCharsets.US_ASCII),
                actualHex.trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    private static String randomPart() {
        byte[] bytes = new byte[SECRET_BYTES];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
