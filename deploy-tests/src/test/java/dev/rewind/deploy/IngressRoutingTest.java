package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.maps;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Kustomize.Rendered;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.Routes;
import dev.rewind.deploy.support.Routes.Rule;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Ingress routes exactly like the local gateway (deploy/local/gateway/nginx.conf.tmpl). */
class IngressRoutingTest {

    /** Paths of every API (and of what must stay hidden), with the service DESIGN.md routes them to. */
    static final Map<String, Optional<String>> PATHS = paths();

    private static Map<String, Optional<String>> paths() {
        Map<String, Optional<String>> p = new HashMap<>();
        String id = "4f1c2a9e-0d3b-4c55-9a43-7d2f8e6b1c00";
        for (String path : List.of("/servers", "/servers/", "/servers/" + id, "/servers/" + id + "/onboarding-status",
                "/servers/" + id + "/confirm-firewall")) {
            p.put(path, Optional.of("server-registry"));
        }
        for (String path : List.of("/servers/" + id + "/pitr", "/servers/" + id + "/pitr/coverage", "/servers/" + id + "/pitr/" + id,
                "/servers/" + id + "/events", "/servers/" + id + "/events/stats")) {
            p.put(path, Optional.of("pitr-service"));
        }
        for (String path : List.of("/backup", "/backup/history", "/backup/history/" + id, "/backup/schedules")) {
            p.put(path, Optional.of("backup-service"));
        }
        for (String path : List.of("/api/v1/agent/register", "/api/v1/agent/jobs/" + id + "/status", "/api/v1/admin/agents",
                "/api/v1/admin/registration-tokens")) {
            p.put(path, Optional.of("agent-gateway"));
        }
        for (String path : List.of("/v1/backup-runs", "/v1/backup-runs/" + id, "/v1/api-tokens", "/v1/api-tokens/" + id)) {
            p.put(path, Optional.of("run-registry"));
        }
        for (String path : List.of("/internal/servers/" + id + "/connection", "/internal/anything", "/q/health", "/q/health/ready",
                "/q/metrics", "/q/openapi", "/", "/unknown", "/api/v1/other", "/v1/other")) {
            p.put(path, Optional.empty());
        }
        return p;
    }

    static Routes.Nginx localGateway() {
        Map<Integer, String> ports = new HashMap<>();
        Repo.SERVICES.forEach(s -> ports.put(Repo.servicePort(s), s));
        return Routes.nginx(Repo.read("deploy/local/gateway/nginx.conf.tmpl"), ports);
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theIngressHasTheGatewaysRulesOneForOne(String overlay) {
        Routes.IngressRoutes ingress = Routes.ingress(Kustomize.overlay(overlay).named("Ingress", "rewind"));
        assertEquals(new HashSet<>(localGateway().rules()), new HashSet<>(ingress.rules()),
                "Ingress rules vs. the local gateway's locations");
        assertEquals(localGateway().rules().size(), ingress.rules().size());
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyApiPathReachesTheSameServiceThroughBothGateways(String overlay) {
        Routes.IngressRoutes ingress = Routes.ingress(Kustomize.overlay(overlay).named("Ingress", "rewind"));
        Routes.Nginx nginx = localGateway();
        PATHS.forEach((path, service) -> {
            assertEquals(service, nginx.route(path), "local gateway: " + path);
            assertEquals(service, ingress.route(path), "Ingress: " + path);
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void internalAndManagementPathsAreNeverRouted(String overlay) {
        Routes.IngressRoutes ingress = Routes.ingress(Kustomize.overlay(overlay).named("Ingress", "rewind"));
        for (Rule rule : ingress.rules()) {
            assertTrue(!rule.path().startsWith("/internal") && !rule.path().startsWith("/q") && !rule.path().equals("/"), rule.toString());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void theRegexPathIsDeclaredAsSuchForIngressNginx(String overlay) {
        Map<String, Object> ingress = Kustomize.overlay(overlay).named("Ingress", "rewind");
        assertEquals("true", annotation(ingress, "nginx.ingress.kubernetes.io/use-regex"));
        assertEquals("nginx", str(ingress, "spec.ingressClassName"));
        for (Rule rule : Routes.ingress(ingress).rules()) {
            boolean looksRegex = rule.path().matches(".*[\\[\\]()|+*?^$].*");
            assertEquals(looksRegex, rule.regex(), rule.path() + ": regex paths are ImplementationSpecific, the others Prefix");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyBackendIsAServiceWithThatPort(String overlay) {
        Rendered r = Kustomize.overlay(overlay);
        for (Map<String, Object> rule : maps(at(r.named("Ingress", "rewind"), "spec.rules"))) {
            for (Map<String, Object> p : maps(at(rule, "http.paths"))) {
                Map<String, Object> svc = r.named("Service", str(p, "backend.service.name"));
                String port = str(p, "backend.service.port.name");
                assertTrue(maps(at(svc, "spec.ports")).stream().anyMatch(sp -> port.equals(sp.get("name"))),
                        p.get("path") + " → " + str(svc, "metadata.name") + ":" + port);
            }
        }
    }

    /**
     * Agent registration (the one unauthenticated write) is rate-limited per client address by every gateway alike:
     * 60 a minute with bursts of 60, answered 429 as a problem document; the rest of the agent API is not counted.
     */
    @ParameterizedTest
    @ValueSource(strings = {"deploy/local/gateway/nginx.conf.tmpl", "deploy/docker/gateway/nginx.conf"})
    void agentRegistrationIsRateLimitedByTheNginxGateways(String file) {
        String conf = Repo.read(file);
        assertTrue(conf.contains("/api/v1/agent/register $binary_remote_addr;"), file + ": only registration has a key");
        assertTrue(conf.contains("limit_req_zone $rewind_agent_register zone=agent_register:10m rate=60r/m;"), file);
        assertTrue(conf.contains("limit_req_status 429;"), file);
        assertTrue(java.util.regex.Pattern.compile("location /api/v1/agent/ \\{\\s*limit_req zone=agent_register burst=60 nodelay;")
                .matcher(conf).find(), file + ": the agent location applies the limit");
        assertTrue(conf.contains("error_page 429 /__problem/429;") && conf.contains("return 429 '{\"title\":\"Too Many Requests\""),
                file + ": 429 is a problem document");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void agentRegistrationIsRateLimitedByTheIngress(String overlay) {
        Rendered r = Kustomize.overlay(overlay);
        Map<String, Object> limited = r.named("Ingress", "rewind-agent-register");
        assertEquals("60", annotation(limited, "nginx.ingress.kubernetes.io/limit-rpm"));
        assertEquals("1", annotation(limited, "nginx.ingress.kubernetes.io/limit-burst-multiplier"));
        assertEquals("nginx", str(limited, "spec.ingressClassName"));
        List<Map<String, Object>> paths = maps(at(maps(at(limited, "spec.rules")).get(0), "http.paths"));
        assertEquals(1, paths.size());
        assertEquals("/api/v1/agent/register", paths.get(0).get("path"));
        assertEquals("Exact", paths.get(0).get("pathType"));
        assertEquals("agent-gateway", str(paths.get(0), "backend.service.name"));
        if (overlay.equals("production")) {
            assertEquals(str(maps(at(r.named("Ingress", "rewind"), "spec.rules")).get(0), "host"),
                    str(maps(at(limited, "spec.rules")).get(0), "host"), "both Ingresses serve the same host");
            assertEquals("rewind-tls", str(maps(at(limited, "spec.tls")).get(0), "secretName"));
        }
    }

    private static String annotation(Map<String, Object> object, String name) {
        Object annotations = at(object, "metadata.annotations");
        return annotations instanceof Map<?, ?> m ? String.valueOf(m.get(name)) : null;
    }
}
