package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.maps;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Kustomize.Rendered;
import dev.rewind.deploy.support.Repo;
import java.net.URI;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each service may reach only what it needs: DNS, the platform's endpoints of the overlay (PostgreSQL, Kafka, the
 * OIDC issuer, S3), and only the services that connect to tenants' databases may reach any address, never the
 * link-local metadata range. Ingress only on the service's port.
 */
class NetworkPoliciesTest {

    static final Set<String> SOURCE_CLIENTS = Set.of("server-registry", "backup-service", "pitr-service");

    static Map<String, Object> policy(Rendered r, String service) {
        Map<String, Object> p = r.named("NetworkPolicy", service);
        assertEquals(service, map(at(p, "spec.podSelector.matchLabels")).get("app.kubernetes.io/name"));
        assertEquals(List.of("Ingress", "Egress"), at(p, "spec.policyTypes"));
        return p;
    }

    /** The ports an egress rule without a destination opens (to anywhere on those ports). */
    static Set<Integer> openPorts(Map<String, Object> policy) {
        Set<Integer> ports = new HashSet<>();
        for (Map<String, Object> rule : maps(at(policy, "spec.egress"))) {
            if (rule.get("to") == null && rule.get("ports") != null) {
                maps(rule.get("ports")).forEach(p -> ports.add(((Number) p.get("port")).intValue()));
            }
        }
        return ports;
    }

    static int port(String url, int otherwise) {
        URI uri = URI.create(url);
        return uri.getPort() > 0 ? uri.getPort() : "https".equals(uri.getScheme()) ? 443 : otherwise;
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyServiceReachesThePlatformEndpointsOfItsOverlay(String overlay) {
        Rendered r = Kustomize.overlay(overlay);
        Map<String, Object> platform = r.ofKind("ConfigMap").stream()
                .filter(c -> str(c, "metadata.name").startsWith("rewind-platform")).findFirst().orElseThrow();
        Map<String, Object> data = map(platform.get("data"));
        Set<Integer> needed = new HashSet<>();
        needed.add(Integer.parseInt(String.valueOf(data.getOrDefault("db-port", "5432"))));
        needed.add(Integer.parseInt(String.valueOf(data.get("kafka-bootstrap-servers")).replaceAll(".*:", "")));
        needed.add(port(String.valueOf(data.get("oidc-url")), 80));
        needed.add(port(String.valueOf(data.get("s3-endpoint")), 80));
        for (String service : Repo.SERVICES) {
            Set<Integer> open = openPorts(policy(r, service));
            assertTrue(open.containsAll(needed), overlay + " " + service + ": needs " + needed + ", opens " + open);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void onlyTheServicesThatConnectToSourcesReachAnyAddressAndNeverTheMetadataRange(String overlay) {
        Rendered r = Kustomize.overlay(overlay);
        for (String service : Repo.SERVICES) {
            List<Map<String, Object>> blocks = maps(at(policy(r, service), "spec.egress")).stream()
                    .filter(rule -> rule.get("to") != null).flatMap(rule -> maps(rule.get("to")).stream())
                    .filter(to -> to.get("ipBlock") != null).map(to -> map(to.get("ipBlock"))).toList();
            if (SOURCE_CLIENTS.contains(service)) {
                assertFalse(blocks.isEmpty(), service + " connects to tenants' servers");
                for (Map<String, Object> block : blocks) {
                    String except = String.valueOf(block.get("except"));
                    assertTrue(except.contains("169.254.0.0/16") || except.contains("fe80::/10"), service + ": " + block);
                }
            } else {
                assertTrue(blocks.isEmpty(), service + " has no business with arbitrary addresses: " + blocks);
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void ingressIsTheServicePortAndTheInternalApiOnlyFromItsCallers(String overlay) {
        Rendered r = Kustomize.overlay(overlay);
        for (String service : Repo.SERVICES) {
            List<Map<String, Object>> ingress = maps(at(policy(r, service), "spec.ingress"));
            assertEquals(1, ingress.size(), service);
            assertEquals(List.of(Repo.servicePort(service)),
                    maps(ingress.get(0).get("ports")).stream().map(p -> ((Number) p.get("port")).intValue()).toList(), service);
            Set<String> pods = new HashSet<>();
            maps(ingress.get(0).get("from")).stream().filter(f -> f.get("podSelector") != null)
                    .forEach(f -> pods.add(String.valueOf(map(at(f, "podSelector.matchLabels")).get("app.kubernetes.io/name"))));
            assertEquals(service.equals("server-registry") ? Set.of("backup-service", "pitr-service") : Set.of(), pods, service);
        }
    }
}
