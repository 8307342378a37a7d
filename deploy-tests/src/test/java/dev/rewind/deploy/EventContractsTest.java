package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.list;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.Yamls;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/events: one JSON Schema (2020-12) per event type with exactly the fields of deploy/events/README.md, and an
 * AsyncAPI 3.0 document that is valid, references every schema and puts every type on its topic.
 */
class EventContractsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SchemaValidatorsConfig ASSERT_FORMATS = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Path SCHEMAS = Repo.path("deploy/events/schemas");

    /** A type documented in README.md: its topic and its payload fields, in order. */
    record Documented(String topic, List<String> fields) {
    }

    static Map<String, Object> asyncApi() {
        return Yamls.load(Repo.read("deploy/events/asyncapi.yaml"));
    }

    /**
     * Reads README.md: "## topic — producer" headings, and bullets "- `type`[, `type`...]: `field, field` ..." where
     * "the same fields plus" / "those plus" continue the previous bullet's fields, and a `{...}` token describes the
     * items of a list rather than fields.
     */
    static Map<String, Documented> documented() {
        Map<String, Documented> types = new LinkedHashMap<>();
        Pattern heading = Pattern.compile("^## (rewind\\.[a-z-]+)");
        Pattern bullet = Pattern.compile("^- (`[a-z.]+`(?:, `[a-z.]+`)*): (.*)$");
        Pattern code = Pattern.compile("`([^`]+)`");
        String topic = null;
        List<String> previous = List.of();
        List<String> lines = new ArrayList<>(Repo.read("deploy/events/README.md").lines().toList());
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("## ")) {
                Matcher h = heading.matcher(line);
                topic = h.find() ? h.group(1) : null;
                continue;
            }
            Matcher b = bullet.matcher(line);
            if (topic == null || !b.matches()) {
                continue;
            }
            StringBuilder text = new StringBuilder(b.group(2));
            while (i + 1 < lines.size() && lines.get(i + 1).startsWith("  ")) {
                text.append(' ').append(lines.get(++i).strip());
            }
            List<String> fields = new ArrayList<>();
            String body = text.toString();
            if (body.startsWith("the same fields plus") || body.startsWith("those plus")) {
                fields.addAll(previous);
            }
            Matcher c = code.matcher(body);
            while (c.find()) {
                String token = c.group(1);
                if (token.startsWith("{")) {
                    continue;
                }
                for (String f : token.split(",")) {
                    String field = f.strip();
                    if (field.matches("[a-z][a-z0-9_]*") && !fields.contains(field)) {
                        fields.add(field);
                    }
                }
            }
            Matcher t = code.matcher(b.group(1));
            while (t.find()) {
                types.put(t.group(1), new Documented(topic, List.copyOf(fields)));
            }
            previous = fields;
        }
        return types;
    }

    static Stream<String> types() {
        return documented().keySet().stream();
    }

    private static JsonNode schemaJson(String type) {
        try {
            return JSON.readTree(Files.readString(SCHEMAS.resolve(type + ".json")));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static JsonSchema schema(String type) {
        return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaJson(type), ASSERT_FORMATS);
    }

    @Test
    void theReadmeDocumentsEveryTypeOfDesignMd() {
        assertEquals(Set.of("server.registered", "server.updated", "server.decommissioned", "onboarding.step", "backup.started",
                "backup.completed", "backup.failed", "backup.deleted", "pitr.started", "pitr.completed", "pitr.failed",
                "agent.job.status", "anomaly.detected", "audit.recorded", "dead.letter"), documented().keySet());
    }

    @Test
    void thereIsOneSchemaFilePerDocumentedType() throws IOException {
        Set<String> files = new TreeSet<>();
        try (Stream<Path> s = Files.list(SCHEMAS)) {
            s.forEach(p -> files.add(p.getFileName().toString()));
        }
        Set<String> expected = new TreeSet<>();
        documented().keySet().forEach(t -> expected.add(t + ".json"));
        assertEquals(expected, files);
    }

    @ParameterizedTest
    @MethodSource("types")
    void eachSchemaIsAValidDraft202012Schema(String type) {
        JsonNode schema = schemaJson(type);
        assertEquals("https://json-schema.org/draft/2020-12/schema", schema.path("$schema").asText());
        JsonSchema meta = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
                .getSchema(SchemaLocation.of("https://json-schema.org/draft/2020-12/schema"));
        assertEquals(Set.of(), meta.validate(schema), type + " against the 2020-12 meta-schema");
        assertEquals(type, schema.path("title").asText());
        assertEquals("object", schema.path("type").asText());
    }

    @ParameterizedTest
    @MethodSource("types")
    void eachSchemaHasExactlyTheReadmesFieldsAndRequiresThemUnlessTheyOnlySometimesApply(String type) {
        JsonNode schema = schemaJson(type);
        List<String> properties = new ArrayList<>();
        schema.path("properties").fieldNames().forEachRemaining(properties::add);
        assertEquals(documented().get(type).fields(), properties, type + ": schema properties vs. deploy/events/README.md");
        Set<String> required = new LinkedHashSet<>();
        schema.path("required").forEach(r -> required.add(r.asText()));
        assertTrue(properties.containsAll(required), type + " requires an undeclared field");
        Set<String> optional = new TreeSet<>(properties);
        optional.removeAll(required);
        Set<String> allowedOptional = type.equals("anomaly.detected") ? Set.of("agent_id", "server_id", "database", "job_id") : Set.of();
        assertEquals(allowedOptional, optional, type + ": only the README's \"those that apply\" fields may be absent");
        for (String p : properties) {
            String key = p;
            assertTrue(key.matches("[a-z][a-z0-9_]*"), "snake_case: " + key);
        }
    }

    @ParameterizedTest
    @MethodSource("types")
    void aPayloadShapedByTheSchemaPassesAndTypicalMistakesFail(String type) {
        JsonSchema schema = schema(type);
        ObjectNode valid = (ObjectNode) sample(schemaJson(type));
        assertEquals(Set.of(), schema.validate(valid), type + ": " + valid);

        JsonNode props = schemaJson(type).path("properties");
        for (JsonNode r : schemaJson(type).path("required")) {
            ObjectNode missing = valid.deepCopy();
            missing.remove(r.asText());
            assertFalse(schema.validate(missing).isEmpty(), type + " without " + r.asText());
        }
        Iterator<Map.Entry<String, JsonNode>> it = props.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> p = it.next();
            String format = p.getValue().path("format").asText();
            if (!format.isEmpty()) {
                ObjectNode wrong = valid.deepCopy();
                wrong.put(p.getKey(), "not-a-" + format);
                assertFalse(schema.validate(wrong).isEmpty(), type + "." + p.getKey() + " accepts a non-" + format);
            }
        }
        ObjectNode camel = JsonNodeFactory.instance.objectNode();
        valid.fields().forEachRemaining(e -> camel.set(camelCase(e.getKey()), e.getValue()));
        if (!camel.equals(valid)) {
            assertFalse(schema.validate(camel).isEmpty(), type + " accepts camelCase keys");
        }
    }

    @Test
    void realShapedPayloadsValidate() throws IOException {
        Map<String, String> payloads = Map.of(
                "server.registered", """
                        {"server_id":"6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9","tenant":"acme","name":"shop-mariadb","host":"127.0.0.1",
                         "port":3307,"connection_method":"direct","status":"onboarding","onboarding_step":"provisioning"}""",
                "server.updated", """
                        {"server_id":"6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9","tenant":"acme","name":"shop-mariadb","host":"10.0.0.5",
                         "port":3307,"connection_method":"ssh_tunnel","status":"active","onboarding_step":null,
                         "changed":["host"],"connection_changed":true,"firewall_confirmed":false}""",
                "onboarding.step", """
                        {"server_id":"6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9","tenant":"acme","step":"snapshotting","status":"failed",
                         "error":"access denied","attempt":2,"at":"2026-04-13T14:15:03.123456Z","instance":"pitr-service-7d9c"}""",
                "backup.completed", """
                        {"backup_id":"0b7a6c55-1d2e-4f30-8a9b-0c1d2e3f4a5b","server_id":"6f1e2d3c-4b5a-4978-8695-a4b3c2d1e0f9",
                         "tenant":"acme","server_name":"shop-mariadb","schedule_id":null,"backup_tool":"mydumper",
                         "started_at":"2026-04-13T14:14:30Z","s3_path":"s3://rewind-backups/backups/acme/6f1e/2026-04-13/141430/",
                         "size_bytes":124000,"duration_ms":33000,"binlog_file":"mariadb-bin.000003","binlog_position":1234,
                         "gtid_set":"0-11-1394","tables":[{"schema":"shop","table":"orders","rows":1000}],
                         "completed_at":"2026-04-13T14:15:03+00:00"}""",
                "audit.recorded", """
                        {"tenant":"acme","actor":"acme-admin","action":"backup.deleted","entity_type":"backup",
                         "entity_id":"0b7a6c55-1d2e-4f30-8a9b-0c1d2e3f4a5b","details":{"s3_objects":12},"at":"2026-04-13T14:15:03Z"}""",
                "anomaly.detected", """
                        {"anomaly_id":"9a8b7c6d-5e4f-4a3b-9c2d-1e0f9a8b7c6d","tenant":"acme","kind":"schema_drift","severity":"critical",
                         "agent_id":"1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d","database":"shop","message":"table orders was dropped",
                         "details":{"dropped_tables":["orders"]},"detected_at":"2026-04-13T14:15:03Z"}""");
        for (Map.Entry<String, String> e : payloads.entrySet()) {
            assertEquals(Set.of(), schema(e.getKey()).validate(JSON.readTree(e.getValue())), e.getKey());
        }
        JsonNode failedWithoutError = JSON.readTree(payloads.get("onboarding.step").replace("\"access denied\"", "null"));
        assertFalse(schema("onboarding.step").validate(failedWithoutError).isEmpty(), "a failed step carries its error");
    }

    @Test
    void theAsyncApiDocumentIsAValidAsyncApi30Document() throws IOException {
        Path spec = Repo.rewindHome().resolve("tools/asyncapi-specs-6.11.1/schemas/3.0.0-without-$id.json");
        assertTrue(Files.isRegularFile(spec), "the AsyncAPI 3.0.0 JSON Schema (npm @asyncapi/specs) is missing at " + spec
                + " — run ./rewind infra (deploy/local/parts/k8s-tools.sh installs it)");
        JsonSchema asyncApiSchema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V7).getSchema(JSON.readTree(spec.toFile()));
        JsonNode document = JSON.valueToTree(asyncApi());
        Set<ValidationMessage> errors = asyncApiSchema.validate(document);
        assertEquals(Set.of(), errors, "asyncapi.yaml against the AsyncAPI 3.0.0 schema");
        assertEquals("3.0.0", document.path("asyncapi").asText());
    }

    @Test
    void theOfficialAsyncApiParserResolvesEverySchemaAndReportsNoErrorOrWarning() throws Exception {
        Path parser = Repo.rewindHome().resolve("tools/asyncapi-parser-3.6.3");
        assertTrue(Files.isRegularFile(parser.resolve("node_modules/@asyncapi/parser/package.json")),
                "@asyncapi/parser is missing under " + parser + " — run ./rewind infra (deploy/local/parts/k8s-tools.sh installs it)");
        Path script = Path.of(EventContractsTest.class.getResource("/asyncapi-parse.mjs").toURI());
        Process p = new ProcessBuilder("node", script.toString(), parser.toString(), Repo.path("deploy/events/asyncapi.yaml").toString())
                .start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) && p.exitValue() == 0, err);
        JsonNode result = JSON.readTree(out);
        List<String> problems = new ArrayList<>();
        for (JsonNode d : result.path("diagnostics")) {
            // severities: 0 error, 1 warning, 2 information, 3 hint
            if (d.path("severity").asInt() <= 1) {
                problems.add(d.path("code").asText() + " at " + d.path("path") + ": " + d.path("message").asText());
            }
        }
        assertEquals(List.of(), problems);
        assertTrue(result.path("parsed").asBoolean(), result.toString());
    }

    @Test
    void theAsyncApiDocumentPutsEveryTypeOnItsTopicWithItsSchemaAndHeaders() {
        Map<String, Object> doc = asyncApi();
        Map<String, Object> messages = map(at(doc, "components.messages"));
        Map<String, String> typeToTopic = new LinkedHashMap<>();
        for (Object ch : map(doc.get("channels")).values()) {
            Map<String, Object> channel = map(ch);
            for (Object ref : map(channel.get("messages")).values()) {
                String pointer = str(map(ref), "$ref");
                Map<String, Object> message = map(messages.get(pointer.substring(pointer.lastIndexOf('/') + 1)));
                String type = String.valueOf(message.get("title"));
                assertEquals("dev.rewind." + type, message.get("name"));
                assertEquals("./schemas/" + type + ".json", str(message, "payload.schema.$ref"), type + " payload");
                assertTrue(String.valueOf(at(message, "payload.schemaFormat")).startsWith("application/schema+json"));
                assertEquals("application/json", message.get("contentType"));
                Map<String, Object> headers = map(at(doc, "components.schemas." + lastSegment(str(map(message.get("headers")), "$ref"))));
                Map<String, Object> own = map(list(headers.get("allOf")).get(1));
                assertEquals("dev.rewind." + type, str(own, "properties.ce_type.const"), type + " ce_type");
                assertTrue(at(message, "bindings.kafka.key") != null, type + " declares its key");
                typeToTopic.put(type, String.valueOf(channel.get("address")));
            }
        }
        Map<String, String> expected = new LinkedHashMap<>();
        documented().forEach((type, d) -> expected.put(type, d.topic()));
        assertEquals(new TreeSet<>(expected.entrySet().stream().map(Object::toString).toList()),
                new TreeSet<>(typeToTopic.entrySet().stream().map(Object::toString).toList()));
        Set<String> required = new TreeSet<>();
        list(at(doc, "components.schemas.cloudEventHeaders.required")).forEach(r -> required.add(String.valueOf(r)));
        assertEquals(new TreeSet<>(List.of("ce_specversion", "ce_id", "ce_source", "ce_type", "ce_time", "ce_subject", "content-type")),
                required, "the CloudEvents attributes every event carries");
    }

    @Test
    void everyOperationSendsOrReceivesMessagesOfItsOwnChannel() {
        Map<String, Object> doc = asyncApi();
        for (Map.Entry<String, Object> op : map(doc.get("operations")).entrySet()) {
            Map<String, Object> o = map(op.getValue());
            String channel = str(map(o.get("channel")), "$ref");
            assertTrue(Set.of("send", "receive").contains(String.valueOf(o.get("action"))), op.getKey());
            for (Object m : list(o.get("messages"))) {
                assertTrue(str(map(m), "$ref").startsWith(channel + "/messages/"), op.getKey() + ": " + m);
            }
        }
    }

    private static String lastSegment(String ref) {
        return ref.substring(ref.lastIndexOf('/') + 1);
    }

    private static String camelCase(String snake) {
        StringBuilder b = new StringBuilder();
        boolean upper = false;
        for (char ch : snake.toCharArray()) {
            if (ch == '_') {
                upper = true;
            } else {
                b.append(upper ? Character.toUpperCase(ch) : ch);
                upper = false;
            }
        }
        return b.toString();
    }

    /** A value that satisfies a (simple) schema: the first enum value, a value of the format, else of the first non-null type. */
    static JsonNode sample(JsonNode schema) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        if (schema.has("const")) {
            return schema.get("const");
        }
        if (schema.has("enum")) {
            for (JsonNode e : schema.get("enum")) {
                if (!e.isNull()) {
                    return e;
                }
            }
        }
        List<String> types = new ArrayList<>();
        if (schema.path("type").isArray()) {
            schema.path("type").forEach(t -> types.add(t.asText()));
        } else {
            types.add(schema.path("type").asText("object"));
        }
        types.remove("null");
        String type = types.isEmpty() ? "null" : types.get(0);
        switch (type) {
            case "object" -> {
                ObjectNode o = f.objectNode();
                schema.path("properties").fields().forEachRemaining(p -> o.set(p.getKey(), sample(p.getValue())));
                return o;
            }
            case "array" -> {
                ArrayNode a = f.arrayNode();
                a.add(sample(schema.path("items")));
                return a;
            }
            case "integer" -> {
                return f.numberNode(Math.max(1, schema.path("minimum").asInt(1)));
            }
            case "boolean" -> {
                return f.booleanNode(true);
            }
            case "string" -> {
                return switch (schema.path("format").asText()) {
                    case "uuid" -> f.textNode("5d0f9c62-8a1e-4b7f-9c3d-2e1a0b9c8d7e");
                    case "date-time" -> f.textNode("2026-04-13T14:15:03Z");
                    default -> f.textNode("x");
                };
            }
            default -> {
                return f.nullNode();
            }
        }
    }
}
