package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.list;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.maps;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Kustomize.Rendered;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.Yamls;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The production overlay does not reuse the local stack's trust: Kafka over TLS with one SCRAM user per service whose
 * ACLs are exactly what that service produces and consumes, and a realm of its own without demo users, password
 * grants or secrets in the file, with brute-force protection and TLS required for external clients.
 */
class ProductionSecurityTest {

    static final Rendered PRODUCTION = Kustomize.overlay("production");

    /** A service's topic ACLs: topic → operations, and its consumer groups. */
    record Acls(Map<String, Set<String>> topics, Set<String> groups) {
    }

    static Acls acls(String service) {
        Map<String, Object> user = PRODUCTION.named("KafkaUser", "rewind-" + service);
        assertEquals("rewind", map(at(user, "metadata.labels")).get("strimzi.io/cluster"), service + ": the cluster's user");
        assertEquals("scram-sha-512", str(user, "spec.authentication.type"), service);
        assertEquals("simple", str(user, "spec.authorization.type"), service);
        Map<String, Set<String>> topics = new HashMap<>();
        Set<String> groups = new HashSet<>();
        for (Map<String, Object> acl : maps(at(user, "spec.authorization.acls"))) {
            String type = str(acl, "resource.type");
            String name = str(acl, "resource.name");
            assertEquals("literal", str(acl, "resource.patternType"), service + " " + name + ": no prefix or wildcard grants");
            List<String> operations = list(acl.get("operations")).stream().map(String::valueOf).toList();
            if (type.equals("topic")) {
                topics.computeIfAbsent(name, n -> new HashSet<>()).addAll(operations);
            } else {
                assertEquals("group", type, service);
                assertEquals(List.of("Read"), operations, service + " group " + name);
                groups.add(name);
            }
        }
        return new Acls(topics, groups);
    }

    /** What README's topic table says each service produces (its Producers column). */
    static Map<String, Set<String>> producers() {
        Map<String, Set<String>> produced = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^\\| (rewind\\.[a-z-]+)[^|]*\\|[^|]*\\|[^|]*\\| ([^|]+) \\|$").matcher(Repo.read("README.md"));
        while (m.find()) {
            String topic = m.group(1);
            String who = m.group(2).trim();
            List<String> services = who.equals("every service") ? Repo.SERVICES : List.of(who.split(",\\s*"));
            for (String service : services) {
                produced.computeIfAbsent(service, s -> new HashSet<>()).add(topic);
            }
        }
        return produced;
    }

    /** The topics and consumer groups a service reads, from its application.properties. */
    static Map<String, String> consumed(String service) {
        String props = Repo.read(service + "/src/main/resources/application.properties");
        Map<String, String> topicOf = new HashMap<>();
        Map<String, String> groupOf = new HashMap<>();
        Matcher m = Pattern.compile("(?m)^mp\\.messaging\\.incoming\\.([^.]+)\\.(topic|group\\.id)=(\\S+)$").matcher(props);
        while (m.find()) {
            (m.group(2).equals("topic") ? topicOf : groupOf).put(m.group(1), m.group(3));
        }
        Map<String, String> consumed = new HashMap<>();
        topicOf.forEach((channel, topic) -> consumed.put(topic, groupOf.getOrDefault(channel, service)));
        Matcher ownership = Pattern.compile("(?m)^rewind\\.pitr\\.ownership\\.group=(\\S+)$").matcher(props);
        if (ownership.find()) {
            consumed.put("rewind.servers", ownership.group(1));
        }
        return consumed;
    }

    @Test
    void everyServiceHasAKafkaUserWithExactlyTheAclsItNeeds() {
        Map<String, Set<String>> produced = producers();
        assertEquals(Set.copyOf(Repo.SERVICES), produced.keySet(), "every service produces (audit at least)");
        assertEquals(Repo.SERVICES.size(), PRODUCTION.ofKind("KafkaUser").size());
        for (String service : Repo.SERVICES) {
            Acls acls = acls(service);
            Map<String, Set<String>> expected = new HashMap<>();
            for (String topic : produced.get(service)) {
                expected.computeIfAbsent(topic, t -> new HashSet<>()).addAll(Set.of("Write", "Describe"));
            }
            Map<String, String> consumed = consumed(service);
            consumed.keySet().forEach(topic -> expected.computeIfAbsent(topic, t -> new HashSet<>()).addAll(Set.of("Read", "Describe")));
            assertEquals(expected, acls.topics(), service + ": topic ACLs vs. what it produces (README) and consumes");
            assertEquals(Set.copyOf(consumed.values()), acls.groups(), service + ": its consumer groups");
        }
    }

    @Test
    void everyDeploymentReachesKafkaOverTlsAsItsOwnUser() {
        for (String service : Repo.SERVICES) {
            Map<String, Object> container = maps(at(PRODUCTION.named("Deployment", service), "spec.template.spec.containers")).get(0);
            Map<String, Map<String, Object>> env = new HashMap<>();
            maps(container.get("env")).forEach(e -> env.put(String.valueOf(e.get("name")), e));
            assertEquals("SASL_SSL", env.get("KAFKA_SECURITY_PROTOCOL").get("value"), service);
            assertEquals("SCRAM-SHA-512", env.get("KAFKA_SASL_MECHANISM").get("value"), service);
            assertEquals("rewind-" + service, str(env.get("KAFKA_SASL_JAAS_CONFIG"), "valueFrom.secretKeyRef.name"), service);
            assertEquals("sasl.jaas.config", str(env.get("KAFKA_SASL_JAAS_CONFIG"), "valueFrom.secretKeyRef.key"), service);
            String truststore = String.valueOf(env.get("KAFKA_SSL_TRUSTSTORE_LOCATION").get("value"));
            assertTrue(maps(container.get("volumeMounts")).stream().anyMatch(v -> truststore.startsWith(String.valueOf(v.get("mountPath")))),
                    service + ": the truststore is mounted");
        }
        Map<String, Object> config = PRODUCTION.ofKind("ConfigMap").stream()
                .filter(c -> str(c, "metadata.name").startsWith("rewind-platform")).findFirst().orElseThrow();
        String platform = String.valueOf(map(at(config, "data")).get("kafka-bootstrap-servers"));
        assertTrue(platform.endsWith(":9093"), "the TLS listener: " + platform);
    }

    @Test
    void theLocalOverlayKeepsThePlainBroker() {
        for (String service : Repo.SERVICES) {
            Map<String, Object> container = maps(at(Kustomize.overlay("local").named("Deployment", service), "spec.template.spec.containers")).get(0);
            assertTrue(maps(container.get("env")).stream().noneMatch(e -> String.valueOf(e.get("name")).startsWith("KAFKA_SASL")), service);
        }
        assertTrue(Kustomize.overlay("local").ofKind("KafkaUser").isEmpty());
    }

    @Test
    void theProductionRealmIsNotTheLocalOne() throws Exception {
        String text = Repo.read("deploy/k8s/overlays/production/keycloak/rewind-realm.json");
        Map<String, Object> realm = Yamls.load(text); // JSON is YAML
        Map<String, Object> local = Yamls.load(Repo.read("deploy/local/keycloak/rewind-realm.json"));
        assertEquals("rewind", realm.get("realm"));
        assertEquals("external", realm.get("sslRequired"));
        assertEquals(Boolean.TRUE, realm.get("bruteForceProtected"));
        assertEquals(Boolean.FALSE, realm.get("registrationAllowed"));
        assertNull(realm.get("users"), "no demo users");
        assertFalse(text.contains("${REWIND_"), "nothing of the local stack's environment");
        for (Map<String, Object> client : maps(realm.get("clients"))) {
            String id = String.valueOf(client.get("clientId"));
            assertNull(client.get("secret"), id + ": secrets are generated by Keycloak or set by the operator");
            if (Boolean.TRUE.equals(client.get("publicClient"))) {
                assertEquals(Boolean.FALSE, client.get("directAccessGrantsEnabled"), id + ": no password grant on a public client");
                assertEquals("S256", map(client.get("attributes")).get("pkce.code.challenge.method"), id);
            }
        }
        Set<String> scopes = new HashSet<>();
        maps(realm.get("clientScopes")).forEach(s -> scopes.add(String.valueOf(s.get("name"))));
        Set<String> localScopes = new HashSet<>();
        maps(local.get("clientScopes")).forEach(s -> localScopes.add(String.valueOf(s.get("name"))));
        assertEquals(localScopes, scopes, "the same permissions as scopes");
        Set<String> clients = new HashSet<>();
        maps(realm.get("clients")).forEach(c -> clients.add(String.valueOf(c.get("clientId"))));
        Set<String> localClients = new HashSet<>();
        maps(local.get("clients")).forEach(c -> localClients.add(String.valueOf(c.get("clientId"))));
        assertEquals(localClients, clients, "the same clients");
    }
}
