package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.maps;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.deploy.support.KubernetesValidator;
import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Kustomize.Rendered;
import dev.rewind.deploy.support.Repo;
import dev.rewind.deploy.support.Yamls;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** deploy/k8s renders with kubectl kustomize, every object is a valid Kubernetes object, and secrets stay out of the base. */
class KubernetesManifestsTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void overlayRendersWithoutWarnings(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        assertFalse(rendered.objects().isEmpty(), overlay + " rendered nothing");
        assertEquals("", rendered.warnings().strip(), overlay + ": kustomize warned (deprecated fields?)");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyRenderedObjectValidatesAgainstTheKubernetesApi(String overlay) {
        List<String> problems = new ArrayList<>();
        for (Map<String, Object> object : Kustomize.overlay(overlay).objects()) {
            problems.addAll(KubernetesValidator.validate(object));
        }
        assertEquals(List.of(), problems, overlay + ": invalid objects");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyRenderedObjectValidatesAgainstTheKubernetesOpenApiSchemas(String overlay) {
        assertEquals(List.of(), KubernetesValidator.openApiProblems(Kustomize.overlay(overlay).objects()), overlay);
    }

    @Test
    void theOpenApiSchemasRefuseMissingRequiredFieldsAndUnknownEnumValues() {
        Map<String, Object> deployment = Yamls.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: broken}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers: [{image: x, imagePullPolicy: Sometimes}]
                """);
        List<String> problems = KubernetesValidator.openApiProblems(List.of(deployment));
        assertEquals(1, problems.size(), problems.toString());
        assertTrue(problems.get(0).contains("required property name") && problems.get(0).contains("allowed values"), problems.get(0));
        Map<String, Object> unknownKind = Yamls.load("""
                apiVersion: example.com/v1
                kind: Widget
                metadata: {name: w}
                """);
        assertEquals(1, KubernetesValidator.openApiProblems(List.of(unknownKind)).size(), "an unknown kind is not waved through");
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everythingLandsInTheRewindNamespace(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        rendered.named("Namespace", "rewind");
        for (Map<String, Object> o : rendered.objects()) {
            if (!"Namespace".equals(o.get("kind"))) {
                assertEquals("rewind", str(o, "metadata.namespace"), o.get("kind") + " " + str(o, "metadata.name"));
            }
        }
    }

    @Test
    void theValidatorRefusesWhatTheApiServerWould() {
        Map<String, Object> misspelled = Yamls.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: misspelled}
                spec:
                  replica: 2
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers: [{name: x, image: x}]
                """);
        assertTrue(KubernetesValidator.validate(misspelled).stream().anyMatch(p -> p.contains("[replica]")),
                KubernetesValidator.validate(misspelled).toString());
        Map<String, Object> numberAsEnvValue = Yamls.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: typed}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: x}}
                    spec:
                      containers: [{name: x, image: x, env: [{name: PORT, value: 8080}]}]
                """);
        assertTrue(KubernetesValidator.validate(numberAsEnvValue).stream().anyMatch(p -> p.contains("not a valid apps/v1/Deployment")),
                "an env value must be a string: " + KubernetesValidator.validate(numberAsEnvValue));
        Map<String, Object> selectorMismatch = Yamls.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: Bad_Name}
                spec:
                  selector: {matchLabels: {app: x}}
                  template:
                    metadata: {labels: {app: y}}
                    spec:
                      containers: [{name: x, image: x}]
                """);
        assertEquals(2, KubernetesValidator.validate(selectorMismatch).size(), KubernetesValidator.validate(selectorMismatch).toString());
        Map<String, Object> unknownField = Yamls.load("""
                apiVersion: v1
                kind: Service
                metadata: {name: s}
                spec:
                  ports: [{port: 80, targetport: http}]
                """);
        assertTrue(KubernetesValidator.validate(unknownField).stream().anyMatch(p -> p.contains("targetport")),
                KubernetesValidator.validate(unknownField).toString());
        Map<String, Object> badQuantity = Yamls.load("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: q}
                spec:
                  selector: {matchLabels: {app: q}}
                  template:
                    metadata: {labels: {app: q}}
                    spec:
                      containers: [{name: q, image: q, resources: {limits: {memory: lots}}}]
                """);
        assertTrue(KubernetesValidator.validate(badQuantity).stream().anyMatch(p -> p.contains("quantity")),
                KubernetesValidator.validate(badQuantity).toString());
        Map<String, Object> badTopic = Yamls.load("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: t}
                spec: {partitions: 0, replicationFactor: 1}
                """);
        assertEquals(2, KubernetesValidator.validate(badTopic).size(), KubernetesValidator.validate(badTopic).toString());
    }

    @Test
    void theBaseHoldsNoSecretAndProductionGeneratesNone() {
        assertEquals(List.of(), Kustomize.base().ofKind("Secret"), "the base must only reference Secrets");
        assertEquals(List.of(), Kustomize.overlay("production").ofKind("Secret"),
                "production Secrets are created by the operator, never committed");
    }

    @Test
    void productionReferencesOnlyTheSecretsTheReadmeTellsOperatorsToCreate() {
        Set<String> referenced = new TreeSet<>();
        for (Map<String, Object> d : Kustomize.overlay("production").ofKind("Deployment")) {
            for (Map<String, Object> env : containerEnv(d)) {
                Object ref = at(env, "valueFrom.secretKeyRef");
                if (ref != null) {
                    referenced.add(str(map(ref), "name") + "/" + str(map(ref), "key"));
                }
            }
        }
        referenced.add(str(map(maps(at(Kustomize.overlay("production").named("Ingress", "rewind"), "spec.tls")).get(0)), "secretName")
                + "/tls.crt");
        Set<String> documented = new TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\| `([a-z0-9-]+)` \\| `([a-z.-]+)` \\|").matcher(Repo.read("deploy/k8s/README.md"));
        while (m.find()) {
            documented.add(m.group(1) + "/" + m.group(2));
        }
        assertEquals(documented, referenced, "deploy/k8s/README.md's table of Secrets vs. the production references");
    }

    @Test
    void theLocalOverlayGeneratesEveryReferencedSecretWithTheLocalStackValues() {
        Rendered local = Kustomize.overlay("local");
        Map<String, String> expected = new LinkedHashMap<>();
        for (String s : Repo.SERVICES) {
            expected.put(s + "-db/username", Repo.stack("REWIND_DB_USER"));
            expected.put(s + "-db/password", Repo.stack("REWIND_DB_PASSWORD"));
        }
        expected.put("server-registry-secrets-key/key", Repo.stack("REWIND_SECRETS_KEY"));
        expected.put("rewind-s3/access-key", Repo.stack("REWIND_S3_ACCESS_KEY"));
        expected.put("rewind-s3/secret-key", Repo.stack("REWIND_S3_SECRET_KEY"));
        expected.put("backup-service-oidc-client/client-secret", Repo.stack("REWIND_CLIENT_SECRET_BACKUP_SERVICE"));
        expected.put("pitr-service-oidc-client/client-secret", Repo.stack("REWIND_CLIENT_SECRET_PITR_SERVICE"));
        expected.put("backup-service-verify/mariadb-password", Repo.stack("REWIND_BACKUP_VERIFY_MARIADB_PASSWORD"));
        expected.put("backup-service-verify/mysql-password", Repo.stack("REWIND_BACKUP_VERIFY_MYSQL_PASSWORD"));
        for (Map<String, Object> d : local.ofKind("Deployment")) {
            for (Map<String, Object> env : containerEnv(d)) {
                Object ref = at(env, "valueFrom.secretKeyRef");
                if (ref == null) {
                    continue;
                }
                String name = str(map(ref), "name");
                String key = str(map(ref), "key");
                Map<String, Object> secret = local.named("Secret", name);
                String value = str(secret, "data." + key);
                String generatorName = name.replaceAll("-[a-z0-9]{10}$", "");
                String want = expected.get(generatorName + "/" + key);
                assertTrue(want != null, "unexpected secret reference " + generatorName + "/" + key);
                assertEquals(want, new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8),
                        generatorName + "/" + key + " differs from deploy/local/stack.env");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyConfigMapReferenceResolves(String overlay) {
        Rendered rendered = Kustomize.overlay(overlay);
        for (Map<String, Object> d : rendered.ofKind("Deployment")) {
            for (Map<String, Object> env : containerEnv(d)) {
                Object ref = at(env, "valueFrom.configMapKeyRef");
                if (ref != null) {
                    Map<String, Object> cm = rendered.named("ConfigMap", str(map(ref), "name"));
                    assertTrue(map(cm.get("data")).containsKey(str(map(ref), "key")),
                            str(d, "metadata.name") + ": " + env.get("name") + " → missing key " + str(map(ref), "key"));
                }
            }
        }
    }

    static List<Map<String, Object>> containerEnv(Map<String, Object> deployment) {
        List<Map<String, Object>> env = new ArrayList<>();
        for (Map<String, Object> c : maps(at(deployment, "spec.template.spec.containers"))) {
            env.addAll(maps(c.get("env")));
        }
        return env;
    }
}
