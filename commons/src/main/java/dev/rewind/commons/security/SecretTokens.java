package dev.rewind.commons.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;

/**
 * Secrets Rewind hands out once (agent API keys, registration tokens, the run ledger's API tokens): their random
 * part, and the SHA-256 that is all a service keeps of them, compared in time independent of where hashes differ.
 */
public final class SecretTokens {

    private static final SecureRandom RANDOM = new SecureRandom();
    private static final HexFormat HEX = HexFormat.of();

    private SecretTokens() {
    }

    /** {@code bytes} random bytes, base64url without padding (32 bytes: 43 characters). */
    public static String randomPart(int bytes) {
        byte[] secret = new byte[bytes];
        RANDOM.nextBytes(secret);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(secret);
    }

    public static byte[] sha256(String secret) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JVM", e);
        }
    }

    /** The SHA-256 as 64 lowercase hex digits. */
    public static String sha256Hex(String secret) {
        return HEX.formatHex(sha256(secret));
    }

    /** Whether two hashes are equal, in time independent of where they differ; a missing one is never equal. */
    public static boolean sameHash(byte[] stored, byte[] presented) {
        return stored != null && presented != null && MessageDigest.isEqual(stored, presented);
    }

    /** {@link #sameHash(byte[], byte[])} of two hex hashes (surrounding blanks ignored). */
    public static boolean sameHexHash(String stored, String presented) {
        if (stored == null || presented == null) {
            return false;
        }
        return MessageDigest.isEqual(stored.trim().getBytes(StandardCharsets.US_ASCII), presented.trim().getBytes(StandardCharsets.US_ASCII));
    }
}
