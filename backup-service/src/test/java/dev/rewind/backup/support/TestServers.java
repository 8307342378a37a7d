package dev.rewind.backup.support;

import static org.awaitility.Awaitility.await;

import dev.rewind.backup.KnownServer;
import dev.rewind.source.RegisteredSource;
import dev.rewind.testing.LocalStack;
import io.quarkus.hibernate.reactive.panache.Panache;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Servers as server-registry announces them: a {@code server.registered} (or decommissioned) CloudEvent on the real
 * {@code rewind.servers} topic, written the way commons' OutboxRelay writes it, plus the connection the
 * {@link ServerRegistryStandIn} serves. Waits until backup-service's projection has it.
 */
public final class TestServers {

    private TestServers() {
    }

    public static UUID mariadb(String tenant) {
        return register(tenant, "test-mariadb", "127.0.0.1", Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT")),
                LocalStack.env("REWIND_SOURCE_USER"), LocalStack.env("REWIND_SOURCE_PASSWORD"));
    }

    public static UUID mysql8(String tenant) {
        return register(tenant, "test-mysql8", "127.0.0.1", Integer.parseInt(LocalStack.env("REWIND_MYSQL8_PORT")),
                LocalStack.env("REWIND_SOURCE_USER"), LocalStack.env("REWIND_SOURCE_PASSWORD"));
    }

    /**
     * A server of the local stack's MariaDB or MySQL 8 ({@code kind}) registered with TLS settings; {@code caVariable}
     * names the environment variable holding the CA file (REWIND_SOURCE_TLS_CA, or _OTHER_CA for a wrong one).
     */
    public static UUID withTls(String tenant, String kind, String mode, String caVariable) {
        int port = Integer.parseInt(LocalStack.env("mariadb".equals(kind) ? "REWIND_MARIADB_PORT" : "REWIND_MYSQL8_PORT"));
        String ca;
        try {
            ca = caVariable == null ? null : java.nio.file.Files.readString(java.nio.file.Path.of(LocalStack.env(caVariable)));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        UUID id = UUID.randomUUID();
        ServerRegistryStandIn.CONNECTIONS.put(id, new RegisteredSource(id, tenant, "test-tls-" + kind, "127.0.0.1", port,
                LocalStack.env("REWIND_SOURCE_USER"), LocalStack.env("REWIND_SOURCE_PASSWORD"), "direct", null, null, null, mode, ca, null));
        announce(id, tenant, "test-tls-" + kind, "server.registered", "127.0.0.1", port);
        awaitProjected(id, false);
        return id;
    }

    /** A server the projection knows but whose connection server-registry cannot give (its backups fail fast). */
    public static UUID withoutConnection(String tenant) {
        UUID id = UUID.randomUUID();
        announce(id, tenant, "test-unreachable", "server.registered", "127.0.0.1", 1);
        awaitProjected(id, false);
        return id;
    }

    public static UUID register(String tenant, String name, String host, int port, String user, String password) {
        UUID id = UUID.randomUUID();
        ServerRegistryStandIn.CONNECTIONS.put(id, new RegisteredSource(id, tenant, name, host, port, user, password, "direct"));
        announce(id, tenant, name, "server.registered", host, port);
        awaitProjected(id, false);
        return id;
    }

    /** A server just registered: server-registry has it, its server.registered has not reached backup-service yet. */
    public static UUID knownOnlyToTheRegistry(String tenant) {
        UUID id = UUID.randomUUID();
        ServerRegistryStandIn.CONNECTIONS.put(id, new RegisteredSource(id, tenant, "test-just-registered", "127.0.0.1",
                Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT")), LocalStack.env("REWIND_SOURCE_USER"),
                LocalStack.env("REWIND_SOURCE_PASSWORD"), "direct"));
        return id;
    }

    /** While set, the stand-in answers 503 as a server-registry that is down would (behind its gateway). */
    public static void registryDown(boolean down) {
        ServerRegistryStandIn.down = down;
    }

    public static void decommission(UUID id, String tenant) {
        announce(id, tenant, "decommissioned", "server.decommissioned", null, 0);
        awaitProjected(id, true);
    }

    /** Announces a server as server-registry would, without waiting for any projection (for packaged processes). */
    public static void announceRegistered(UUID id, String tenant, String name, String host, int port) {
        announce(id, tenant, name, "server.registered", host, port);
    }

    private static void announce(UUID id, String tenant, String name, String type, String host, int port) {
        String now = OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
        String payload = type.equals("server.decommissioned")
                ? "{\"server_id\":\"%s\",\"tenant\":\"%s\",\"name\":\"%s\",\"decommissioned_at\":\"%s\"}".formatted(id, tenant, name, now)
                : "{\"server_id\":\"%s\",\"tenant\":\"%s\",\"name\":\"%s\",\"host\":\"%s\",\"port\":%d,\"connection_method\":\"direct\",\"status\":\"pending\",\"onboarding_step\":null}"
                        .formatted(id, tenant, name, host, port);
        RecordHeaders headers = new RecordHeaders();
        header(headers, "ce_specversion", "1.0");
        header(headers, "ce_id", UUID.randomUUID().toString());
        header(headers, "ce_source", "server-registry");
        header(headers, "ce_type", "dev.rewind." + type);
        header(headers, "ce_time", now);
        header(headers, "ce_subject", id.toString());
        header(headers, "ce_tenant", tenant);
        header(headers, "content-type", "application/json");
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>("rewind.servers", null, id.toString(), payload, headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot announce server " + id, e);
        }
    }

    private static void header(RecordHeaders headers, String name, String value) {
        headers.add(name, value.getBytes(StandardCharsets.UTF_8));
    }

    private static void awaitProjected(UUID id, boolean decommissioned) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(200)).until(() -> {
            KnownServer server = Backups.db(() -> Panache.withSession(() -> KnownServer.<KnownServer>findById(id)));
            return server != null && server.decommissioned == decommissioned;
        });
    }
}
