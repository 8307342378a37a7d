package dev.rewind.runs.security;

import dev.rewind.commons.security.SecretTokens;
import java.util.HexFormat;
import java.util.Optional;
import java.util.UUID;

/**
 * The run ledger's API tokens: {@code rr_<id>.<secret>} — the token's id as 32 hex digits (not secret: it finds
 * the row and names the token for revocation) and 32 random bytes, base64url. Only the SHA-256 of the whole
 * token is stored; a presented token is hashed and compared with the stored hash in constant time.
 */
public final class ApiTokens {

    public static final String PREFIX = "rr_";
    private static final int ID_HEX = 32;
    private static final int SECRET_BYTES = 32;
    private static final int SECRET_CHARS = 43; // base64url of 32 bytes without padding
    private static final int LENGTH = PREFIX.length() + ID_HEX + 1 + SECRET_CHARS;
    private static final HexFormat HEX = HexFormat.of();

    private ApiTokens() {
    }

    /** A fresh token for the id. */
    public static String mint(UUID id) {
        return PREFIX + id.toString().replace("-", "") + "." + SecretTokens.randomPart(SECRET_BYTES);
    }

    /** The id a well-formed token carries; empty when the text is not one of these tokens. */
    public static Optional<UUID> idOf(String token) {
        if (token == null || token.length() != LENGTH || !token.startsWith(PREFIX) || token.charAt(PREFIX.length() + ID_HEX) != '.') {
            return Optional.empty();
        }
        String hex = token.substring(PREFIX.length(), PREFIX.length() + ID_HEX);
        try {
            byte[] bytes = HEX.parseHex(hex);
            long high = 0;
            long low = 0;
            for (int i = 0; i < 8; i++) {
                high = (high << 8) | (bytes[i] & 0xff);
                low = (low << 8) | (bytes[i + 8] & 0xff);
            }
            return Optional.of(new UUID(high, low));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    public static byte[] sha256(String token) {
        return SecretTokens.sha256(token);
    }

    /** Compares two hashes in time independent of where they differ. */
    public static boolean sameHash(byte[] stored, byte[] presented) {
        return SecretTokens.sameHash(stored, presented);
    }
}
