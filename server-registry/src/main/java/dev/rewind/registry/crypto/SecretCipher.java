package dev.rewind.registry.crypto;

import dev.rewind.registry.config.SecretsConfig;
import jakarta.enterprise.context.ApplicationScoped;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * AES-256-GCM for secrets at rest. A value is stored as {@code v2:<key id>:<base64(nonce | ciphertext | tag)>}: a
 * fresh 96-bit nonce per value, and the row it belongs to (the server's id) as associated data, so a value copied
 * into another row does not decrypt there, and a tampered value fails instead of yielding garbage.
 * <p>
 * Rotation: the current key ({@code rewind.secrets.key}, named {@code rewind.secrets.key-id}) encrypts; every key
 * of {@code rewind.secrets.previous-keys} ({@code id:base64,…}) still decrypts what it encrypted, until
 * {@link #needsReencryption} values have been written again with the current key
 * ({@code POST /internal/secrets/re-encrypt}). Values from before key ids ({@code base64} without a prefix, no
 * associated data) decrypt with the key named {@code rewind.secrets.legacy-key-id}.
 */
@ApplicationScoped
public class SecretCipher {

    private static final String TRANSFORMATION = "AES/GCM/NoPadding";
    private static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String VERSION = "v2";
    private static final Pattern KEY_ID = Pattern.compile("[A-Za-z0-9_.-]{1,32}");

    private final String currentId;
    private final Map<String, SecretKey> keys = new LinkedHashMap<>();
    private final String legacyId;
    private final SecureRandom random = new SecureRandom();

    public SecretCipher(SecretsConfig config) {
        this.currentId = checkedId(config.keyId(), "rewind.secrets.key-id");
        keys.put(currentId, key(config.key(), "rewind.secrets.key"));
        for (String entry : config.previousKeys().orElse("").split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int colon = entry.indexOf(':');
            if (colon < 0) {
                throw new IllegalStateException("rewind.secrets.previous-keys must be id:base64 pairs separated by commas");
            }
            String id = checkedId(entry.substring(0, colon).trim(), "a key id of rewind.secrets.previous-keys");
            if (keys.containsKey(id)) {
                throw new IllegalStateException("the key id " + id + " is given twice (rewind.secrets.key-id / previous-keys)");
            }
            keys.put(id, key(entry.substring(colon + 1), "the key " + id + " of rewind.secrets.previous-keys"));
        }
        this.legacyId = config.legacyKeyId().orElse(currentId);
    }

    private static String checkedId(String id, String what) {
        if (id == null || !KEY_ID.matcher(id).matches()) {
            throw new IllegalStateException(what + " must be 1-32 letters, digits, '_', '.' or '-'");
        }
        return id;
    }

    private static SecretKey key(String base64, String what) {
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(base64.trim());
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(what + " is not base64");
        }
        if (raw.length != 32) {
            throw new IllegalStateException(what + " must be 32 bytes (AES-256), it has " + raw.length);
        }
        return new SecretKeySpec(raw, "AES");
    }

    /** The id of the key that encrypts. */
    public String currentKeyId() {
        return currentId;
    }

    /** Encrypts the secret of the row {@code owner} with the current key. */
    public String encrypt(UUID owner, String plain) {
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.ENCRYPT_MODE, keys.get(currentId), new GCMParameterSpec(TAG_BITS, nonce));
            cipher.updateAAD(associatedData(owner));
            byte[] sealed = cipher.doFinal(plain.getBytes(StandardCharsets.UTF_8));
            return VERSION + ":" + currentId + ":"
                    + Base64.getEncoder().encodeToString(ByteBuffer.allocate(nonce.length + sealed.length).put(nonce).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    /**
     * Decrypts the secret stored in the row {@code owner}.
     *
     * @throws IllegalStateException when no configured key decrypts it: an unknown key id, another row's value, a
     *                               tampered value
     */
    public String decrypt(UUID owner, String stored) {
        String id;
        String body;
        boolean bound;
        if (stored.startsWith(VERSION + ":")) {
            int colon = stored.indexOf(':', VERSION.length() + 1);
            if (colon < 0) {
                throw new IllegalStateException("a stored secret is not in the form v2:<key id>:<value>");
            }
            id = stored.substring(VERSION.length() + 1, colon);
            body = stored.substring(colon + 1);
            bound = true;
        } else {
            id = legacyId;
            body = stored;
            bound = false;
        }
        SecretKey key = keys.get(id);
        if (key == null) {
            throw new IllegalStateException("a stored secret was encrypted with the key " + id
                    + ", which is neither rewind.secrets.key nor one of rewind.secrets.previous-keys");
        }
        try {
            byte[] all = Base64.getDecoder().decode(body);
            Cipher cipher = Cipher.getInstance(TRANSFORMATION);
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, NONCE_BYTES));
            if (bound) {
                cipher.updateAAD(associatedData(owner));
            }
            return new String(cipher.doFinal(all, NONCE_BYTES, all.length - NONCE_BYTES), StandardCharsets.UTF_8);
        } catch (GeneralSecurityException | IllegalArgumentException e) {
            throw new IllegalStateException("a stored secret does not decrypt with the key " + id
                    + " (wrong key, another row's value, or a tampered value)");
        }
    }

    /** True when the value is not yet encrypted with the current key in the current form. */
    public boolean needsReencryption(String stored) {
        return !stored.startsWith(VERSION + ":" + currentId + ":");
    }

    private static byte[] associatedData(UUID owner) {
        return ("rewind/server/" + owner + "/password").getBytes(StandardCharsets.UTF_8);
    }
}
