package dev.rewind.pitr;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.pitr.messaging.ServerOwnership;
import dev.rewind.pitr.service.StreamSupervisor;
import dev.rewind.pitr.support.ServerEvents;
import dev.rewind.pitr.support.ServerRegistryStub;
import dev.rewind.pitr.support.Sources;
import dev.rewind.testing.LocalStack;
import io.agroal.api.AgroalDataSource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.Test;

/**
 * A server registered with {@code tls_mode} streams its binlog over TLS with the server's CA (the local sources serve
 * TLS), its changes indexed as any other server's; with a CA that did not sign the server's certificate it never
 * streams, and its failed onboarding step says why.
 */
@QuarkusTest
class TlsStreamingTest {

    @Inject
    ServerOwnership ownership;

    @Inject
    StreamSupervisor supervisor;

    @Inject
    AgroalDataSource index;

    static ServerRegistryStub.Connection register(ServerOwnership ownership, Sources source, String mode, String caVariable)
            throws Exception {
        await().atMost(Duration.ofSeconds(60)).until(() -> !ownership.assignedPartitions().isEmpty());
        UUID id = UUID.randomUUID();
        ServerRegistryStub.Connection plain = source.connection(id, "acme", "tls-" + id.toString().substring(0, 6), "direct");
        ServerRegistryStub.Connection server = new ServerRegistryStub.Connection(id, plain.tenant(), plain.name(), plain.host(),
                plain.port(), plain.username(), plain.password(), "direct", null, mode,
                Files.readString(Path.of(LocalStack.env(caVariable))));
        ServerEvents.registered(server);
        return server;
    }

    @ParameterizedTest
    @EnumSource(Sources.class)
    void aVerifyCaServerStreamsOverTlsAndIsIndexed(Sources source) throws Exception {
        for (String mode : new String[] {"verify_ca", "verify_identity"}) {
            ServerRegistryStub.Connection server = register(ownership, source, mode, "REWIND_SOURCE_TLS_CA");
            String schema = source.createSchema();
            try {
                await().atMost(Duration.ofSeconds(60)).until(() -> supervisor.streaming(server.serverId()));
                source.execute("use " + schema, "create table t (id int primary key, v varchar(20))",
                        "insert into t values (1, 'over tls')");
                await().atMost(Duration.ofSeconds(30)).until(() -> indexed(server, schema), is("over tls"));
            } finally {
                source.dropSchema(schema);
                ServerEvents.decommissioned(server);
            }
        }
    }

    @Test
    void aWrongCaNeverStreamsAndTheFailedStepSaysWhy() throws Exception {
        ServerRegistryStub.Connection server = register(ownership, Sources.MARIADB, "verify_ca", "REWIND_SOURCE_TLS_OTHER_CA");
        try {
            com.fasterxml.jackson.databind.JsonNode failed = await().atMost(Duration.ofSeconds(60)).until(
                    () -> OnboardingTest.events(server).stream().filter(e -> e.get("status").asText().equals("failed"))
                            .findFirst().orElse(null), e -> e != null);
            assertThat(failed.get("error").asText(), containsString("TLS: the server's certificate is not signed by the CA of tls_ca_cert"));
            assertThat(supervisor.streaming(server.serverId()), is(false));
        } finally {
            ServerEvents.decommissioned(server);
        }
    }

    private String indexed(ServerRegistryStub.Connection server, String schema) throws Exception {
        try (Connection c = index.getConnection(); PreparedStatement ps = c.prepareStatement(
                "select after_image->>'v' from row_event where server_id = ? and schema_name = ? and table_name = 't'")) {
            ps.setObject(1, server.serverId());
            ps.setString(2, schema);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }
}
