package dev.rewind.registry.crypto;

import static dev.rewind.registry.Api.*;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.registry.repository.ServerRepository;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Stored secrets in the database: bound to their row, and re-encrypted with the current key on request. */
@QuarkusTest
class SecretRotationTest {

    @Inject
    ServerRepository servers;

    @Inject
    SecretCipher cipher;

    String stored(String id) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withSession(() -> servers.findById(UUID.fromString(id))
                .map(s -> s.passwordCipher)));
    }

    void store(String id, String value) throws Throwable {
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> servers.findById(UUID.fromString(id))
                .invoke(s -> s.passwordCipher = value)));
    }

    String connectionPassword(String id) {
        return given().auth().oauth2(Tokens.service("pitr-service")).when().get("/internal/servers/" + id + "/connection")
                .then().statusCode(200).extract().path("password");
    }

    @Test
    void oldValuesAreReEncryptedWithTheCurrentKeyAndAnotherRowsValueIsNamedNotUsed() throws Throwable {
        String password = "pw-" + UUID.randomUUID();
        String id = register(admin(), unchecked(uniqueName("rot"), password));
        String other = register(admin(), unchecked(uniqueName("rot-other"), "pw-" + UUID.randomUUID()));
        assertTrue(stored(id).startsWith("v2:k1:"), "new values name their key");
        assertEquals(password, cipher.decrypt(UUID.fromString(id), stored(id)));
        assertEquals(password, connectionPassword(id));

        String original = stored(other);
        store(other, stored(id)); // a value copied from another row: it must not decrypt here
        store(id, SecretCipherTest.legacy(LocalStack.env("REWIND_SECRETS_KEY"), password)); // as stored before key ids
        String moved = stored(other);
        try {
            assertEquals(password, connectionPassword(id), "a value from before key ids still decrypts");

            given().auth().oauth2(Tokens.service("pitr-service")).when().post("/internal/secrets/re-encrypt")
                    .then().statusCode(200)
                    .body("current_key_id", is("k1"))
                    .body("reencrypted", greaterThanOrEqualTo(1))
                    .body("undecryptable", hasItem(other))
                    .body("undecryptable", not(hasItem(id)));
            assertTrue(stored(id).startsWith("v2:k1:"), stored(id));
            assertEquals(password, connectionPassword(id));
            assertEquals(moved, stored(other), "a value no key decrypts is left as it was");
        } finally {
            store(other, original);
        }
    }

    @Test
    void onlyServiceAccountsMayReEncrypt() {
        given().when().post("/internal/secrets/re-encrypt").then().statusCode(401);
        given().auth().oauth2(admin()).when().post("/internal/secrets/re-encrypt")
                .then().statusCode(403).contentType("application/problem+json");
    }
}
