package dev.rewind.commons.security;

import static org.junit.jupiter.api.Assertions.*;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretTokensTest {

    @Test
    void randomPartsAreUrlSafeAndNeverRepeat() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String part = SecretTokens.randomPart(32);
            assertEquals(43, part.length());
            assertTrue(part.matches("[A-Za-z0-9_-]+"), part);
            assertTrue(seen.add(part));
        }
    }

    @Test
    void hashesCompareByValueOnly() {
        assertEquals("2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824", SecretTokens.sha256Hex("hello"));
        assertTrue(SecretTokens.sameHash(SecretTokens.sha256("a"), SecretTokens.sha256("a")));
        assertFalse(SecretTokens.sameHash(SecretTokens.sha256("a"), SecretTokens.sha256("b")));
        assertFalse(SecretTokens.sameHash(null, SecretTokens.sha256("a")));
        assertTrue(SecretTokens.sameHexHash(SecretTokens.sha256Hex("a") + " ", SecretTokens.sha256Hex("a")));
        assertFalse(SecretTokens.sameHexHash(null, "x"));
    }
}
