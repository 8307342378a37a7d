package dev.rewind.commons.tenant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.rewind.commons.problem.ProblemException;
import java.lang.reflect.Proxy;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;
import org.junit.jupiter.api.Test;

/** The tenant claim names S3 keys and rows: only a plain tenant id is taken, anything else is a 403. */
class CallerTenantTest {

    private static CallerTenant withClaim(Object tenant) {
        JsonWebToken token = (JsonWebToken) Proxy.newProxyInstance(JsonWebToken.class.getClassLoader(),
                new Class<?>[] {JsonWebToken.class}, (proxy, method, args) -> method.getName().equals("getClaim") ? tenant : null);
        return new CallerTenant(token);
    }

    @Test
    void aPlainTenantIdIsTheCallersTenant() {
        assertEquals("acme", withClaim("acme").id());
        assertEquals("tenant-42", withClaim("\"tenant-42\"").id());
        assertEquals("a".repeat(63), withClaim("a".repeat(63)).id());
    }

    @Test
    void anythingThatCouldNameAnotherKeyOrRowIsRefused() {
        for (String claim : List.of("../globex", "acme/x", "Acme", "acme_x", "a".repeat(64), "-acme", "acme\nx", "acme%2f", "ac me")) {
            ProblemException e = assertThrows(ProblemException.class, () -> withClaim(claim).id(), claim);
            assertEquals(403, e.problem().status(), claim);
        }
        assertThrows(ProblemException.class, () -> withClaim(null).id());
        assertThrows(ProblemException.class, () -> withClaim("  ").id());
    }
}
