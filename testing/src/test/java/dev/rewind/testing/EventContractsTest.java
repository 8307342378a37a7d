package dev.rewind.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.Test;

/** EventContracts accepts an event as the outbox relay writes it and names each way a wrong one breaks deploy/events. */
class EventContractsTest {

    private static final String SERVER = "6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9";
    private static final String COMPLETED = """
            {"backup_id":"0b7a6c55-1d2e-4f30-8a9b-0c1d2e3f4a5b","server_id":"%s","tenant":"acme","server_name":"shop",
             "schedule_id":null,"backup_tool":"mydumper","started_at":"2026-04-13T14:14:30Z",
             "s3_path":"s3://rewind-backups/backups/acme/x/2026-04-13/141430/","size_bytes":124000,"duration_ms":33000,
             "binlog_file":"mariadb-bin.000003","binlog_position":1234,"gtid_set":"0-11-1394",
             "tables":[{"schema":"shop","table":"orders","rows":1000}],"completed_at":"2026-04-13T14:15:03Z"}"""
            .formatted(SERVER);

    private static Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ce_specversion", "1.0");
        headers.put("ce_id", "9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d");
        headers.put("ce_source", "backup-service");
        headers.put("ce_type", "dev.rewind.backup.completed");
        headers.put("ce_time", "2026-04-13T14:15:03.123Z");
        headers.put("ce_subject", "0b7a6c55-1d2e-4f30-8a9b-0c1d2e3f4a5b");
        headers.put("ce_tenant", "acme");
        headers.put("content-type", "application/json");
        return headers;
    }

    private static ConsumerRecord<String, String> record(String topic, String key, Map<String, String> headers, String payload) {
        ConsumerRecord<String, String> record = new ConsumerRecord<>(topic, 0, 0L, key, payload);
        headers.forEach((name, value) -> record.headers().add(name, value.getBytes(StandardCharsets.UTF_8)));
        return record;
    }

    /** The problems found, once each (the message of the AssertionError lists them): asserts there are some. */
    private static String failure(Map<String, String> headers, String payload) {
        assertThrows(AssertionError.class, () -> EventContracts.assertValid("backup.completed", headers, payload));
        List<String> problems = EventContracts.problems("backup.completed", headers, payload);
        assertTrue(!problems.isEmpty());
        return String.join("\n", problems);
    }

    @Test
    void anEventAsTheRelayWritesItPasses() {
        assertEquals(List.of(), EventContracts.problems("backup.completed", headers(), COMPLETED));
        assertEquals("backup.completed", EventContracts.assertValid(record("rewind.backups", SERVER, headers(), COMPLETED)));
    }

    @Test
    void aPayloadMissingARequiredFieldFailsNamingIt() {
        String message = failure(headers(), COMPLETED.replace("\"s3_path\":\"s3://rewind-backups/backups/acme/x/2026-04-13/141430/\",", ""));
        assertTrue(message.contains("s3_path"), message);
    }

    @Test
    void wrongTypesFormatsAndEnumsInThePayloadFail() {
        assertTrue(failure(headers(), COMPLETED.replace("\"size_bytes\":124000", "\"size_bytes\":\"124000\"")).contains("size_bytes"));
        assertTrue(failure(headers(), COMPLETED.replace("\"completed_at\":\"2026-04-13T14:15:03Z\"", "\"completed_at\":\"yesterday\""))
                .contains("completed_at"));
        assertTrue(failure(headers(), COMPLETED.replace(SERVER, "server-1")).contains("server_id"));
        assertTrue(failure(headers(), "{not json").contains("not JSON"));
    }

    @Test
    void headersAreCheckedAgainstTheTypesHeaderSchemaInAsyncApi() {
        Map<String, String> wrongSource = headers();
        wrongSource.put("ce_source", "pitr-service");
        assertTrue(failure(wrongSource, COMPLETED).contains("ce_source"));

        Map<String, String> noTime = headers();
        noTime.remove("ce_time");
        assertTrue(failure(noTime, COMPLETED).contains("ce_time"));

        Map<String, String> badId = headers();
        badId.put("ce_id", "42");
        assertTrue(failure(badId, COMPLETED).contains("ce_id"));

        Map<String, String> otherType = headers();
        otherType.put("ce_type", "dev.rewind.backup.started");
        assertTrue(failure(otherType, COMPLETED).contains("ce_type"));

        Map<String, String> otherTenant = headers();
        otherTenant.put("ce_tenant", "globex");
        assertTrue(failure(otherTenant, COMPLETED).contains("ce_tenant"));
    }

    @Test
    void aRecordOnTheWrongTopicOrWithAWrongKeyFails() {
        AssertionError wrongTopic = assertThrows(AssertionError.class,
                () -> EventContracts.assertValid(record("rewind.pitr", SERVER, headers(), COMPLETED)));
        assertTrue(wrongTopic.getMessage().contains("belongs on rewind.backups"), wrongTopic.getMessage());
        AssertionError badKey = assertThrows(AssertionError.class,
                () -> EventContracts.assertValid(record("rewind.backups", "shop", headers(), COMPLETED)));
        assertTrue(badKey.getMessage().contains("key shop: "), badKey.getMessage());
        Map<String, String> foreign = headers();
        foreign.put("ce_type", "com.example.thing");
        assertThrows(AssertionError.class, () -> EventContracts.assertValid(record("rewind.backups", SERVER, foreign, COMPLETED)));
    }
}
