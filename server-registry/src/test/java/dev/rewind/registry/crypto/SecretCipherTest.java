package dev.rewind.registry.crypto;

import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.registry.config.SecretsConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import java.util.UUID;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;

/** Values bound to their row, named by their key, and readable across a rotation until re-encrypted. */
class SecretCipherTest {

    static final String OLD = key();
    static final String NEW = key();

    static String key() {
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        return Base64.getEncoder().encodeToString(raw);
    }

    static SecretCipher cipher(String key, String id, String previous, String legacyId) {
        return new SecretCipher(new SecretsConfig() {
            public String key() {
                return key;
            }

            public String keyId() {
                return id;
            }

            public Optional<String> previousKeys() {
                return Optional.ofNullable(previous);
            }

            public Optional<String> legacyKeyId() {
                return Optional.ofNullable(legacyId);
            }
        });
    }

    /** A value as stored before key ids: base64(nonce | ciphertext | tag), no associated data. */
    static String legacy(String key, String plain) throws Exception {
        byte[] nonce = new byte[12];
        new SecureRandom().nextBytes(nonce);
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(Base64.getDecoder().decode(key), "AES"), new GCMParameterSpec(128, nonce));
        byte[] sealed = c.doFinal(plain.getBytes(StandardCharsets.UTF_8));
        return Base64.getEncoder().encodeToString(ByteBuffer.allocate(12 + sealed.length).put(nonce).put(sealed).array());
    }

    @Test
    void aValueNamesItsKeyAndDecryptsOnlyInItsOwnRow() {
        SecretCipher cipher = cipher(OLD, "k1", null, null);
        UUID row = UUID.randomUUID();
        String stored = cipher.encrypt(row, "s3cret");
        assertTrue(stored.startsWith("v2:k1:"), stored);
        assertFalse(stored.contains("s3cret"));
        assertEquals("s3cret", cipher.decrypt(row, stored));
        assertNotEquals(stored, cipher.encrypt(row, "s3cret"), "a fresh nonce every time");
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(UUID.randomUUID(), stored), "another row's value");
        byte[] sealed = Base64.getDecoder().decode(stored.substring("v2:k1:".length()));
        sealed[14] ^= 1; // one bit of the ciphertext
        String tampered = "v2:k1:" + Base64.getEncoder().encodeToString(sealed);
        assertThrows(IllegalStateException.class, () -> cipher.decrypt(row, tampered), "a tampered value");
    }

    @Test
    void afterARotationTheNewKeyEncryptsAndTheOldOneStillDecrypts() throws Exception {
        UUID row = UUID.randomUUID();
        String before = cipher(OLD, "k1", null, null).encrypt(row, "pw");
        String older = legacy(OLD, "legacy-pw");
        SecretCipher rotated = cipher(NEW, "k2", "k1:" + OLD, "k1");

        assertEquals("pw", rotated.decrypt(row, before));
        assertEquals("legacy-pw", rotated.decrypt(row, older), "values from before key ids");
        assertTrue(rotated.needsReencryption(before));
        assertTrue(rotated.needsReencryption(older));
        String after = rotated.encrypt(row, "pw");
        assertTrue(after.startsWith("v2:k2:"));
        assertFalse(rotated.needsReencryption(after));

        SecretCipher oldKeyRemoved = cipher(NEW, "k2", null, null);
        assertEquals("pw", oldKeyRemoved.decrypt(row, after));
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> oldKeyRemoved.decrypt(row, before));
        assertTrue(e.getMessage().contains("k1"), e.getMessage());
    }

    @Test
    void badKeyConfigurationStopsTheServiceSayingWhy() {
        assertThrows(IllegalStateException.class, () -> cipher("c2hvcnQ=", "k1", null, null));
        assertThrows(IllegalStateException.class, () -> cipher(NEW, "k:1", null, null));
        assertThrows(IllegalStateException.class, () -> cipher(NEW, "k2", "k2:" + OLD, null));
        assertThrows(IllegalStateException.class, () -> cipher(NEW, "k2", "no-colon", null));
    }
}
