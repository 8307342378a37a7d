package dev.rewind.pitr.support;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.testing.LocalStack;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Produces events on the real topics exactly as commons' OutboxRelay writes them (CloudEvents binary mode, key =
 * server id): what server-registry and backup-service send.
 */
public final class ServerEvents {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ServerEvents() {
    }

    public static void registered(ServerRegistryStub.Connection server) {
        ServerRegistryStub.add(server);
        Map<String, Object> payload = server(server);
        payload.put("status", "onboarding");
        payload.put("onboarding_step", "provisioning");
        send("rewind.servers", "server-registry", "server.registered", server.serverId(), server.tenant(), payload);
    }

    public static void firewallConfirmed(ServerRegistryStub.Connection server) {
        Map<String, Object> payload = server(server);
        payload.put("status", "onboarding");
        payload.put("onboarding_step", "awaiting_firewall");
        payload.put("changed", List.of("firewall_confirmed"));
        payload.put("connection_changed", false);
        payload.put("firewall_confirmed", true);
        send("rewind.servers", "server-registry", "server.updated", server.serverId(), server.tenant(), payload);
    }

    public static void decommissioned(ServerRegistryStub.Connection server) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("server_id", server.serverId().toString());
        payload.put("tenant", server.tenant());
        payload.put("name", server.name());
        payload.put("decommissioned_at", now());
        send("rewind.servers", "server-registry", "server.decommissioned", server.serverId(), server.tenant(), payload);
    }

    public static void backupCompleted(UUID backupId, UUID serverId, String tenant, OffsetDateTime completedAt) {
        backupCompleted(backupId, serverId, tenant, completedAt, "s3://rewind-backups/backups/" + tenant + "/" + serverId + "/x/",
                "mysql-bin.000003", 4242L, "bee9d299-e6f9-11f1-8712-02fc00000001:1-93");
    }

    /** backup.completed as backup-service sends it, for a backup at {@code s3Path} consistent with the binlog position. */
    public static void backupCompleted(UUID backupId, UUID serverId, String tenant, OffsetDateTime completedAt, String s3Path,
            String binlogFile, Long binlogPosition, String gtidSet) {
        backupCompleted(backupId, serverId, tenant, completedAt, s3Path, binlogFile, binlogPosition, gtidSet, "mydumper");
    }

    public static void backupCompleted(UUID backupId, UUID serverId, String tenant, OffsetDateTime completedAt, String s3Path,
            String binlogFile, Long binlogPosition, String gtidSet, String tool) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("backup_id", backupId.toString());
        payload.put("server_id", serverId.toString());
        payload.put("tenant", tenant);
        payload.put("server_name", "db");
        payload.put("schedule_id", null);
        payload.put("backup_tool", tool);
        payload.put("started_at", completedAt.minusMinutes(1).toString());
        payload.put("s3_path", s3Path);
        payload.put("size_bytes", 1234);
        payload.put("duration_ms", 60000);
        payload.put("binlog_file", binlogFile);
        payload.put("binlog_position", binlogPosition);
        payload.put("gtid_set", gtidSet);
        payload.put("tables", List.of(Map.of("schema", "shop", "table", "orders", "rows", 3)));
        payload.put("completed_at", completedAt.toString());
        send("rewind.backups", "backup-service", "backup.completed", serverId, tenant, payload);
    }

    public static void backupDeleted(UUID backupId, UUID serverId, String tenant) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("backup_id", backupId.toString());
        payload.put("server_id", serverId.toString());
        payload.put("tenant", tenant);
        payload.put("reason", "deleted");
        payload.put("deleted_at", now());
        send("rewind.backups", "backup-service", "backup.deleted", serverId, tenant, payload);
    }

    private static Map<String, Object> server(ServerRegistryStub.Connection server) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("server_id", server.serverId().toString());
        payload.put("tenant", server.tenant());
        payload.put("name", server.name());
        payload.put("host", server.host());
        payload.put("port", server.port());
        payload.put("connection_method", server.connectionMethod());
        return payload;
    }

    private static String now() {
        return OffsetDateTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ISO_OFFSET_DATE_TIME);
    }

    private static void send(String topic, String source, String type, UUID key, String tenant, Map<String, Object> payload) {
        RecordHeaders headers = new RecordHeaders();
        headers.add("ce_specversion", bytes("1.0"));
        headers.add("ce_id", bytes(UUID.randomUUID().toString()));
        headers.add("ce_source", bytes(source));
        headers.add("ce_type", bytes("dev.rewind." + type));
        headers.add("ce_time", bytes(now()));
        headers.add("ce_subject", bytes(key.toString()));
        headers.add("ce_tenant", bytes(tenant));
        headers.add("content-type", bytes("application/json"));
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(topic, null, key.toString(), JSON.writeValueAsString(payload), headers)).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot send " + type, e);
        }
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
