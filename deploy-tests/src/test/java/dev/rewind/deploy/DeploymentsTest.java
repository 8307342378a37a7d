package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.maps;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Kustomize.Rendered;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.ServiceConfig;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Each service's Deployment and Service: probes, metrics, hardening, resources, and the configuration it reads. */
class DeploymentsTest {

    static Stream<Arguments> overlaysAndServices() {
        return Kustomize.OVERLAYS.stream().flatMap(o -> Repo.SERVICES.stream().map(s -> Arguments.of(o, s)));
    }

    private static Map<String, Object> container(Map<String, Object> deployment) {
        List<Map<String, Object>> containers = maps(at(deployment, "spec.template.spec.containers"));
        assertEquals(1, containers.size(), "one container per pod");
        return containers.get(0);
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void probesOnQuarkusHealthAndPrometheusScrapeOnQMetrics(String overlay, String service) {
        Map<String, Object> d = Kustomize.overlay(overlay).named("Deployment", service);
        Map<String, Object> c = container(d);
        assertEquals("/q/health/live", str(c, "livenessProbe.httpGet.path"));
        assertEquals("/q/health/ready", str(c, "readinessProbe.httpGet.path"));
        assertEquals("/q/health/started", str(c, "startupProbe.httpGet.path"));
        for (String probe : List.of("livenessProbe", "readinessProbe", "startupProbe")) {
            assertEquals("http", str(c, probe + ".httpGet.port"), probe + " targets the http port");
        }
        Map<String, Object> annotations = map(at(d, "spec.template.metadata.annotations"));
        assertEquals("true", annotations.get("prometheus.io/scrape"));
        assertEquals("/q/metrics", annotations.get("prometheus.io/path"));
        assertEquals(String.valueOf(Repo.servicePort(service)), annotations.get("prometheus.io/port"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void runsAsNonRootOnAReadOnlyRootFilesystemWithAWritableTmp(String overlay, String service) {
        Map<String, Object> d = Kustomize.overlay(overlay).named("Deployment", service);
        Map<String, Object> c = container(d);
        assertEquals(true, at(d, "spec.template.spec.securityContext.runAsNonRoot"));
        assertEquals(true, at(c, "securityContext.readOnlyRootFilesystem"));
        assertEquals(false, at(c, "securityContext.allowPrivilegeEscalation"));
        assertEquals(List.of("ALL"), at(c, "securityContext.capabilities.drop"));
        Map<String, Object> tmp = maps(c.get("volumeMounts")).stream().filter(m -> "/tmp".equals(m.get("mountPath"))).findFirst()
                .orElseThrow(() -> new AssertionError(service + " has no writable /tmp"));
        Map<String, Object> volume = maps(at(d, "spec.template.spec.volumes")).stream()
                .filter(v -> tmp.get("name").equals(v.get("name"))).findFirst().orElseThrow();
        assertNotNull(volume.get("emptyDir"), "/tmp is an emptyDir");
        assertNotNull(at(volume, "emptyDir.sizeLimit"), "/tmp is bounded");
        if (Set.of("backup-service", "pitr-service").contains(service)) {
            long bytes = io.fabric8.kubernetes.api.model.Quantity.getAmountInBytes(
                    new io.fabric8.kubernetes.api.model.Quantity(str(volume, "emptyDir.sizeLimit"))).longValue();
            assertTrue(bytes >= 1L << 30, service + " dumps and rebuilds tables in its work dir: at least 1Gi");
        }
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void requestsAndLimitsAreSet(String overlay, String service) {
        Map<String, Object> c = container(Kustomize.overlay(overlay).named("Deployment", service));
        assertNotNull(at(c, "resources.requests.cpu"));
        assertNotNull(at(c, "resources.requests.memory"));
        assertNotNull(at(c, "resources.limits.memory"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void portsAgreeFromApplicationPropertiesToTheService(String overlay, String service) {
        Rendered r = Kustomize.overlay(overlay);
        int port = Integer.parseInt(ServiceConfig.properties(service).get("quarkus.http.port"));
        assertEquals(Repo.servicePort(service), port, "application.properties vs stack.env");
        Map<String, Object> c = container(r.named("Deployment", service));
        Map<String, Object> http = maps(c.get("ports")).stream().filter(p -> "http".equals(p.get("name"))).findFirst().orElseThrow();
        assertEquals(port, http.get("containerPort"));
        assertEquals(String.valueOf(port), envValue(r, c, "QUARKUS_HTTP_PORT"));
        Map<String, Object> svc = r.named("Service", service);
        Map<String, Object> svcPort = maps(at(svc, "spec.ports")).get(0);
        assertEquals(port, svcPort.get("port"));
        assertEquals("http", svcPort.get("targetPort"));
        assertEquals(map(at(r.named("Deployment", service), "spec.selector.matchLabels")), map(at(svc, "spec.selector")),
                "the Service selects the Deployment's pods");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void theEnvironmentCoversEveryVariableTheServiceConfigurationReads(String overlay, String service) {
        Map<String, Object> c = container(Kustomize.overlay(overlay).named("Deployment", service));
        Set<String> provided = maps(c.get("env")).stream().map(e -> String.valueOf(e.get("name"))).collect(Collectors.toSet());
        Set<String> missing = new TreeSet<>(ServiceConfig.requiredEnvironment(service));
        missing.removeAll(provided);
        assertEquals(Set.of(), missing, service + " reads these variables (application.properties / commons defaults) "
                + "but its Deployment does not set them");
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("overlaysAndServices")
    void secretsComeFromSecretsAndNeverFromLiteralsOrConfigMaps(String overlay, String service) {
        Map<String, Object> c = container(Kustomize.overlay(overlay).named("Deployment", service));
        for (Map<String, Object> env : maps(c.get("env"))) {
            String name = String.valueOf(env.get("name"));
            boolean secret = name.endsWith("_PASSWORD") || name.endsWith("_SECRET_KEY") || name.equals("REWIND_SECRETS_KEY")
                    || name.startsWith("REWIND_CLIENT_SECRET_") || name.endsWith("_ACCESS_KEY") || name.equals("REWIND_DB_USER");
            if (secret) {
                assertNotNull(at(env, "valueFrom.secretKeyRef"), service + ": " + name + " must come from a Secret");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theDatabaseKafkaOidcAndS3EndpointsAreConfiguration(String overlay) {
        Map<String, Object> data = map(Kustomize.overlay(overlay).ofKind("ConfigMap").stream()
                .filter(cm -> str(cm, "metadata.name").startsWith("rewind-platform-")).findFirst().orElseThrow().get("data"));
        for (String key : List.of("db-host", "db-port", "kafka-bootstrap-servers", "oidc-url", "oidc-audience", "s3-endpoint",
                "s3-region", "s3-bucket", "server-registry-url")) {
            assertTrue(data.containsKey(key) && !String.valueOf(data.get(key)).isBlank(), overlay + ": " + key);
        }
        assertTrue(String.valueOf(data.get("oidc-url")).matches("https?://.+/realms/rewind"), "the OIDC issuer is the rewind realm");
        if (overlay.equals("production")) {
            assertTrue(String.valueOf(data.get("oidc-url")).startsWith("https://"), "production issuer over TLS");
            assertTrue(String.valueOf(data.get("s3-endpoint")).startsWith("https://"), "production S3 over TLS");
        }
    }

    @Test
    void productionRunsAtLeastTwoReplicasOfEveryServiceWithABudgetAndAnAutoscaler() {
        Rendered prod = Kustomize.overlay("production");
        for (String service : Repo.SERVICES) {
            Map<String, Object> d = prod.named("Deployment", service);
            assertTrue((Integer) at(d, "spec.replicas") >= 2, service + " replicas");
            Map<String, Object> pdb = prod.named("PodDisruptionBudget", service);
            assertEquals(map(at(d, "spec.selector.matchLabels")), map(at(pdb, "spec.selector.matchLabels")), service + " PDB selector");
            Map<String, Object> hpa = prod.named("HorizontalPodAutoscaler", service);
            assertEquals("Deployment", str(hpa, "spec.scaleTargetRef.kind"));
            assertEquals(service, str(hpa, "spec.scaleTargetRef.name"));
            assertTrue((Integer) at(hpa, "spec.minReplicas") >= 2, service + " HPA minReplicas");
            assertTrue((Integer) at(hpa, "spec.maxReplicas") >= (Integer) at(hpa, "spec.minReplicas"));
            assertNotNull(at(d, "spec.template.spec.topologySpreadConstraints"), service + " spreads over nodes");
        }
        assertEquals(Repo.SERVICES.size(), prod.ofKind("PodDisruptionBudget").size());
        assertEquals(Repo.SERVICES.size(), prod.ofKind("HorizontalPodAutoscaler").size());
    }

    @Test
    void theLocalOverlayIsSingleNode() {
        Rendered local = Kustomize.overlay("local");
        for (String service : Repo.SERVICES) {
            assertEquals(1, at(local.named("Deployment", service), "spec.replicas"), service);
        }
        assertEquals(List.of(), local.ofKind("HorizontalPodAutoscaler"));
        assertEquals(List.of(), local.ofKind("PodDisruptionBudget"), "a budget on one replica would block node drains");
    }

    @Test
    void productionImagesArePinnedToAReleaseTag() {
        for (String service : Repo.SERVICES) {
            String image = str(container(Kustomize.overlay("production").named("Deployment", service)), "image");
            assertTrue(image.matches(".+/" + service + ":\\d+\\.\\d+\\.\\d+"), image);
        }
    }

    private static String envValue(Rendered r, Map<String, Object> container, String name) {
        Map<String, Object> env = maps(container.get("env")).stream().filter(e -> name.equals(e.get("name"))).findFirst()
                .orElseThrow(() -> new AssertionError("no env " + name));
        if (env.get("value") != null) {
            return String.valueOf(env.get("value"));
        }
        Map<String, Object> ref = map(at(env, "valueFrom.configMapKeyRef"));
        return str(r.named("ConfigMap", str(ref, "name")), "data." + str(ref, "key"));
    }
}
