package dev.rewind.backup.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.backup.KnownServer;
import dev.rewind.backup.service.ServerProjection;
import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.TestServers;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The only instance of its consumer group holds every partition of rewind.servers and says so; a server projected
 * before partitions were recorded gets the very partition its events arrive on.
 */
@QuarkusTest
class WorkOwnershipTest {

    @Inject
    WorkOwnership ownership;

    @Inject
    ServerProjection projection;

    @Test
    void aLoneInstanceHoldsEveryPartitionAndShowsThemInItsReadiness() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ownership.partitionCount() > 0
                && ownership.partitions().size() == ownership.partitionCount());
        String partitions = given().when().get("/q/health/ready").then().statusCode(200)
                .extract().path("checks.find { it.name == 'backup-work' }.data.partitions");
        assertThat(partitions.split(","), arrayWithSize(ownership.partitionCount()));
    }

    @Test
    void aServerWithoutARecordedPartitionGetsThePartitionItsEventsArriveOn() {
        await().atMost(Duration.ofSeconds(30)).until(() -> ownership.partitionCount() > 0);
        for (int i = 0; i < 5; i++) {
            UUID server = TestServers.withoutConnection("acme");
            Integer arrivedOn = partitionOf(server);
            assertThat(arrivedOn, notNullValue());
            Backups.sql("update server set kafka_partition = null where id = ?1", server);

            int filled = Backups.db(() -> projection.assignMissingPartitions(ownership.partitionCount()));

            assertThat(filled, greaterThanOrEqualTo(1));
            assertThat(partitionOf(server), is(arrivedOn));
        }
    }

    private static Integer partitionOf(UUID server) {
        return Backups.db(() -> Panache.withSession(() -> KnownServer.<KnownServer>findById(server))).kafkaPartition;
    }
}
