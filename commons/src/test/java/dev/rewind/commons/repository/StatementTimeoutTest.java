package dev.rewind.commons.repository;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * Every connection of a service's pool carries statement_timeout (commons' default 60 s), so PostgreSQL cancels a
 * query that runs longer instead of letting it hold a connection and a backend.
 */
@QuarkusTest
class StatementTimeoutTest {

    @Inject
    Pool pool;

    @Test
    void everyPooledConnectionHasTheTimeout() {
        for (int i = 0; i < 12; i++) { // whichever connection the pool hands out
            String value = pool.query("show statement_timeout").execute().await().atMost(Duration.ofSeconds(10))
                    .iterator().next().getString(0);
            assertEquals("1min", value);
        }
    }
}
