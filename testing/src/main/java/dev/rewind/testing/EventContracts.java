package dev.rewind.testing;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * The event contracts of deploy/events, checked against what a producer really sent: the CloudEvents binary-mode
 * headers against the type's header schema in {@code asyncapi.yaml} (spec version, uuid id, the type's producers as
 * source, the type, date-time time, subject, content type), the payload against {@code schemas/<type>.json}, and for
 * a Kafka record also its topic (the type's channel), its key (the channel's key schema) and that {@code ce_tenant}
 * is the payload's tenant. Formats are asserted (they are only annotations by default in 2020-12).
 */
public final class EventContracts {

    public static final String TYPE_PREFIX = "dev.rewind.";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig FORMATS = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
    private static final Map<String, Contract> CONTRACTS = new ConcurrentHashMap<>();

    /** What asyncapi.yaml and schemas/ say of one type. */
    private record Contract(String topic, JsonSchema headers, JsonSchema key, JsonSchema payload) {
    }

    private EventContracts() {
    }

    /**
     * Asserts that a record read from a Rewind topic is a valid event of its {@code ce_type}; answers the type
     * without the {@code dev.rewind.} prefix.
     *
     * @throws AssertionError naming every violation (the validator's messages) and showing the record
     */
    public static String assertValid(ConsumerRecord<String, String> record) {
        Map<String, String> headers = headers(record);
        String ceType = headers.get("ce_type");
        if (ceType == null || !ceType.startsWith(TYPE_PREFIX)) {
            throw new AssertionError("not a Rewind event (ce_type " + ceType + ") on " + record.topic() + ": " + headers);
        }
        String type = ceType.substring(TYPE_PREFIX.length());
        List<String> problems = new ArrayList<>();
        Contract contract = contract(type);
        if (!contract.topic().equals(record.topic())) {
            problems.add("published on " + record.topic() + ", but " + type + " belongs on " + contract.topic());
        }
        if (record.key() == null) {
            problems.add("the record has no key");
        } else {
            contract.key().validate(JSON.getNodeFactory().textNode(record.key()))
                    .forEach(m -> problems.add("key " + record.key() + ": " + m.getMessage()));
        }
        problems.addAll(problems(type, headers, record.value()));
        fail(type, problems, headers, record.value());
        return type;
    }

    /** Asserts each record as {@link #assertValid(ConsumerRecord)} does; answers their types, in order. */
    public static List<String> assertValid(List<ConsumerRecord<String, String>> records) {
        return records.stream().map(EventContracts::assertValid).toList();
    }

    /** Asserts that headers and payload make a valid event of {@code type} (e.g. {@code backup.completed}). */
    public static void assertValid(String type, Map<String, String> headers, String payload) {
        fail(type, problems(type, headers, payload), headers, payload);
    }

    /** Every way the headers and payload break the contract of {@code type}; empty when they keep it. */
    public static List<String> problems(String type, Map<String, String> headers, String payload) {
        Contract contract = contract(type);
        List<String> problems = new ArrayList<>();
        if (!(TYPE_PREFIX + type).equals(headers.get("ce_type"))) {
            problems.add("ce_type is " + headers.get("ce_type") + ", not " + TYPE_PREFIX + type);
        }
        ObjectNode headerNode = JSON.createObjectNode();
        headers.forEach(headerNode::put);
        contract.headers().validate(headerNode).forEach(m -> problems.add("headers: " + m.getMessage()));
        JsonNode body;
        try {
            body = JSON.readTree(payload);
        } catch (JsonProcessingException e) {
            problems.add("payload is not JSON: " + e.getOriginalMessage());
            return problems;
        }
        contract.payload().validate(body).forEach(m -> problems.add("payload: " + m.getMessage()));
        JsonNode tenant = body.path("tenant");
        if (tenant.isTextual() && !tenant.asText().equals(headers.get("ce_tenant"))) {
            problems.add("ce_tenant is " + headers.get("ce_tenant") + ", the payload's tenant " + tenant.asText());
        }
        return problems;
    }

    /** The record's headers, one value each (the last), decoded as UTF-8. */
    public static Map<String, String> headers(ConsumerRecord<String, String> record) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header header : record.headers()) {
            headers.put(header.key(), header.value() == null ? null : new String(header.value(), StandardCharsets.UTF_8));
        }
        return headers;
    }

    private static void fail(String type, List<String> problems, Map<String, String> headers, String payload) {
        if (!problems.isEmpty()) {
            throw new AssertionError(type + " breaks deploy/events:\n  " + String.join("\n  ", problems)
                    + "\nheaders: " + headers + "\npayload: " + payload);
        }
    }

    private static Contract contract(String type) {
        return CONTRACTS.computeIfAbsent(type, EventContracts::load);
    }

    private static Contract load(String type) {
        Path events = LocalStack.repoRoot().resolve("deploy/events");
        Path schemaFile = events.resolve("schemas/" + type + ".json");
        if (!Files.isRegularFile(schemaFile)) {
            throw new AssertionError("no event type " + type + " in deploy/events (no " + schemaFile + ")");
        }
        try {
            JsonNode asyncApi = new YAMLMapper().readTree(events.resolve("asyncapi.yaml").toFile());
            String messageName = messageOf(asyncApi, type);
            JsonNode message = asyncApi.path("components").path("messages").path(messageName);
            String headersRef = message.path("headers").path("$ref").asText();
            JsonSchema payload = FACTORY.getSchema(Files.readString(schemaFile), FORMATS);
            return new Contract(topicOf(asyncApi, messageName), FACTORY.getSchema(withComponents(asyncApi, headersRef), FORMATS),
                    FACTORY.getSchema(message.path("bindings").path("kafka").path("key"), FORMATS), payload);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read deploy/events for " + type, e);
        }
    }

    /** The key under components.messages of the message named dev.rewind.TYPE. */
    private static String messageOf(JsonNode asyncApi, String type) {
        Iterator<Map.Entry<String, JsonNode>> messages = asyncApi.path("components").path("messages").fields();
        while (messages.hasNext()) {
            Map.Entry<String, JsonNode> m = messages.next();
            if ((TYPE_PREFIX + type).equals(m.getValue().path("name").asText())) {
                return m.getKey();
            }
        }
        throw new AssertionError("asyncapi.yaml has no message named " + TYPE_PREFIX + type);
    }

    /** The address of the channel that carries the message. */
    private static String topicOf(JsonNode asyncApi, String messageName) {
        for (JsonNode channel : asyncApi.path("channels")) {
            for (JsonNode ref : channel.path("messages")) {
                if (ref.path("$ref").asText().equals("#/components/messages/" + messageName)) {
                    return channel.path("address").asText();
                }
            }
        }
        throw new AssertionError("no channel of asyncapi.yaml carries " + messageName);
    }

    /**
     * A schema that is the document's {@code ref} (e.g. {@code #/components/schemas/cloudEventHeadersBackupStarted}),
     * with the document's component schemas beside it as {@code $defs} so that its own references resolve.
     */
    private static JsonNode withComponents(JsonNode asyncApi, String ref) throws JsonProcessingException {
        String components = "#/components/schemas/";
        JsonNode defs = JSON.readTree(JSON.writeValueAsString(asyncApi.path("components").path("schemas")).replace(components, "#/$defs/"));
        ObjectNode root = JSON.createObjectNode();
        root.put("$schema", "https://json-schema.org/draft/2020-12/schema");
        root.set("$defs", defs);
        root.put("$ref", ref.replace(components, "#/$defs/"));
        return root;
    }
}
