package dev.rewind.deploy.support;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.CoercionAction;
import com.fasterxml.jackson.databind.cfg.CoercionInputShape;
import com.fasterxml.jackson.databind.type.LogicalType;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Offline validation of rendered Kubernetes objects against the Kubernetes API types, strictly.
 *
 * <p>Each built-in object is read into its type from the fabric8 Kubernetes model (generated from the Kubernetes
 * OpenAPI specification) with every scalar coercion turned off, so a wrong type (a number where the API wants a
 * string, an object for a list) fails; every field the API type does not have is reported (the model keeps unknown
 * fields aside, where this class looks for them); every quantity must parse; and the checks the API server itself
 * makes on names and selectors are applied. Custom resources are validated against the JSON Schema of their CRD
 * (src/test/resources/schemas/). An apiVersion/kind this class does not know fails: nothing goes unchecked.
 *
 * <p>{@link #openApiProblems} adds the JSON Schemas of the Kubernetes OpenAPI specification themselves (required
 * fields, enumerations, formats), as compiled by the npm package kubernetes-models and run with node.
 */
public final class KubernetesValidator {

    private static final Map<String, Class<?>> TYPES = Map.of(
            "v1/Namespace", Namespace.class,
            "v1/ConfigMap", ConfigMap.class,
            "v1/Secret", Secret.class,
            "v1/Service", Service.class,
            "apps/v1/Deployment", Deployment.class,
            "networking.k8s.io/v1/Ingress", Ingress.class,
            "networking.k8s.io/v1/NetworkPolicy", io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class,
            "policy/v1/PodDisruptionBudget", PodDisruptionBudget.class,
            "autoscaling/v2/HorizontalPodAutoscaler", HorizontalPodAutoscaler.class);

    private static final Map<String, String> CRD_SCHEMAS = Map.of(
            "kafka.strimzi.io/v1beta2/KafkaTopic", "/schemas/kafka.strimzi.io/kafkatopic-v1beta2.json",
            "kafka.strimzi.io/v1beta2/KafkaUser", "/schemas/kafka.strimzi.io/kafkauser-v1beta2.json");

    /** DNS-1123 subdomain (most object names) and label (Service names). */
    private static final Pattern DNS_SUBDOMAIN = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*");
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");

    private static final ObjectMapper STRICT = strictMapper();

    private KubernetesValidator() {
    }

    /** The problems of one object; empty when it is valid. */
    public static List<String> validate(Map<String, Object> object) {
        String apiVersion = String.valueOf(object.get("apiVersion"));
        String kind = String.valueOf(object.get("kind"));
        String id = apiVersion + "/" + kind;
        String where = kind + " " + Yamls.str(object, "metadata.name");
        List<String> problems = new ArrayList<>();
        JsonNode json = STRICT.valueToTree(object);
        if (CRD_SCHEMAS.containsKey(id)) {
            for (ValidationMessage m : crdSchema(CRD_SCHEMAS.get(id)).validate(json)) {
                problems.add(where + ": " + m.getMessage());
            }
            checkName(object, where, problems);
            return problems;
        }
        Class<?> type = TYPES.get(id);
        if (type == null) {
            problems.add(where + ": apiVersion/kind " + id + " is not one this validator knows (add its type or CRD schema)");
            return problems;
        }
        Object typed;
        try {
            typed = STRICT.treeToValue(json, type);
        } catch (Exception e) {
            problems.add(where + ": not a valid " + id + ": " + e.getMessage().lines().findFirst().orElse(""));
            return problems;
        }
        walk(typed, kind, where, problems);
        checkName(object, where, problems);
        checkApiRules(typed, where, problems);
        return problems;
    }

    /**
     * The objects checked against the Kubernetes OpenAPI schemas (npm kubernetes-models, installed under
     * {@code $REWIND_HOME/tools} by deploy/local/parts/k8s-tools.sh); custom resources are left to {@link #validate}.
     */
    public static List<String> openApiProblems(List<Map<String, Object>> objects) {
        Path models = Repo.rewindHome().resolve("tools/kubernetes-models-5.1.0/node_modules/kubernetes-models");
        if (!Files.isDirectory(models)) {
            return List.of("the Kubernetes OpenAPI schemas (npm kubernetes-models) are missing at " + models
                    + " — run ./rewind infra (deploy/local/parts/k8s-tools.sh installs them)");
        }
        try {
            Path script = Path.of(KubernetesValidator.class.getResource("/kubernetes-models-validate.mjs").toURI());
            Path input = Files.createTempFile("objects", ".json");
            Files.writeString(input, STRICT.writeValueAsString(objects));
            Process p = new ProcessBuilder("node", script.toString(), models.toString()).redirectInput(input.toFile()).start();
            byte[] out = p.getInputStream().readAllBytes();
            byte[] err = p.getErrorStream().readAllBytes();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                return List.of("node failed: " + new String(err, StandardCharsets.UTF_8));
            }
            Files.deleteIfExists(input);
            List<String> problems = new ArrayList<>();
            for (JsonNode problem : STRICT.readTree(out)) {
                String id = problem.path("apiVersion").asText() + "/" + problem.path("kind").asText();
                if (problem.path("problem").asText().equals("no-schema") && CRD_SCHEMAS.containsKey(id)) {
                    continue;
                }
                problems.add(problem.path("object").asText() + ": " + problem.path("problem").asText());
            }
            return problems;
        } catch (Exception e) {
            return List.of("could not run node with kubernetes-models: " + e);
        }
    }

    private static void checkName(Map<String, Object> object, String where, List<String> problems) {
        String name = Yamls.str(object, "metadata.name");
        Pattern rule = "Service".equals(object.get("kind")) || "Namespace".equals(object.get("kind")) ? DNS_LABEL : DNS_SUBDOMAIN;
        if (name == null || name.length() > 253 || !rule.matcher(name).matches()) {
            problems.add(where + ": metadata.name is not a valid name");
        }
    }

    /** Rules the API server checks beyond the types (a representative, not exhaustive, set). */
    private static void checkApiRules(Object typed, String where, List<String> problems) {
        if (typed instanceof Deployment d) {
            var selector = d.getSpec().getSelector();
            var labels = d.getSpec().getTemplate().getMetadata().getLabels();
            if (selector == null || selector.getMatchLabels() == null || selector.getMatchLabels().isEmpty()) {
                problems.add(where + ": spec.selector.matchLabels is required");
            } else if (labels == null || !labels.entrySet().containsAll(selector.getMatchLabels().entrySet())) {
                problems.add(where + ": spec.selector does not match the template's labels");
            }
            var containers = d.getSpec().getTemplate().getSpec().getContainers();
            if (containers == null || containers.isEmpty()) {
                problems.add(where + ": no containers");
            } else {
                for (var c : containers) {
                    if (c.getName() == null || !DNS_LABEL.matcher(c.getName()).matches()) {
                        problems.add(where + ": container name " + c.getName() + " is invalid");
                    }
                    if (c.getImage() == null || c.getImage().isBlank()) {
                        problems.add(where + ": container " + c.getName() + " has no image");
                    }
                    if (c.getEnv() != null) {
                        for (var e : c.getEnv()) {
                            if (e.getName() == null || !ENV_NAME.matcher(e.getName()).matches()) {
                                problems.add(where + ": env name " + e.getName() + " is invalid");
                            }
                            boolean hasValue = e.getValue() != null;
                            boolean hasRef = e.getValueFrom() != null;
                            if (hasValue == hasRef) {
                                problems.add(where + ": env " + e.getName() + " needs exactly one of value and valueFrom");
                            }
                        }
                    }
                }
            }
        } else if (typed instanceof Service s) {
            if (s.getSpec().getPorts() == null || s.getSpec().getPorts().isEmpty()) {
                problems.add(where + ": spec.ports is required");
            }
        } else if (typed instanceof Ingress i) {
            for (var rule : i.getSpec().getRules()) {
                for (var path : rule.getHttp().getPaths()) {
                    if (!Set.of("Exact", "Prefix", "ImplementationSpecific").contains(path.getPathType())) {
                        problems.add(where + ": pathType " + path.getPathType() + " is invalid");
                    }
                    if (path.getBackend() == null || path.getBackend().getService() == null
                            || path.getBackend().getService().getName() == null) {
                        problems.add(where + ": path " + path.getPath() + " has no backend service");
                    }
                }
            }
        } else if (typed instanceof PodDisruptionBudget p) {
            if ((p.getSpec().getMinAvailable() == null) == (p.getSpec().getMaxUnavailable() == null)) {
                problems.add(where + ": exactly one of minAvailable and maxUnavailable is required");
            }
        } else if (typed instanceof HorizontalPodAutoscaler h) {
            if (h.getSpec().getMaxReplicas() == null || h.getSpec().getScaleTargetRef() == null) {
                problems.add(where + ": maxReplicas and scaleTargetRef are required");
            }
        }
    }

    /** Reports fields the API types do not have, and quantities that do not parse, anywhere in the object. */
    private static void walk(Object node, String path, String where, List<String> problems) {
        if (node == null || node instanceof String || node instanceof Number || node instanceof Boolean || node instanceof Enum
                || node instanceof IntOrString) {
            return;
        }
        if (node instanceof Quantity q) {
            try {
                Quantity.getAmountInBytes(q);
            } catch (RuntimeException e) {
                problems.add(where + ": " + path + " is not a quantity: " + q);
            }
            return;
        }
        if (node instanceof Map<?, ?> m) {
            m.forEach((k, v) -> walk(v, path + "." + k, where, problems));
            return;
        }
        if (node instanceof Collection<?> c) {
            int i = 0;
            for (Object o : c) {
                walk(o, path + "[" + i++ + "]", where, problems);
            }
            return;
        }
        if (!node.getClass().getName().startsWith("io.fabric8.")) {
            return;
        }
        try {
            Method extra = node.getClass().getMethod("getAdditionalProperties");
            Object unknown = extra.invoke(node);
            if (unknown instanceof Map<?, ?> u && !u.isEmpty()) {
                problems.add(where + ": " + path + " has fields the Kubernetes API does not define: " + u.keySet());
            }
        } catch (NoSuchMethodException e) {
            // a type without a place for unknown fields: Jackson already refused them
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        for (Class<?> c = node.getClass(); c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (Modifier.isStatic(f.getModifiers()) || f.getName().equals("additionalProperties")) {
                    continue;
                }
                try {
                    f.setAccessible(true);
                    JsonProperty json = f.getAnnotation(JsonProperty.class);
                    String name = json != null && !json.value().isEmpty() ? json.value() : f.getName();
                    walk(f.get(node), path + "." + name, where, problems);
                } catch (ReflectiveOperationException | RuntimeException e) {
                    // fields that cannot be read reflectively carry no user data
                }
            }
        }
    }

    private static JsonSchema crdSchema(String resource) {
        try (InputStream in = KubernetesValidator.class.getResourceAsStream(resource)) {
            JsonNode schema = STRICT.readTree(in);
            SchemaValidatorsConfig config = SchemaValidatorsConfig.builder().formatAssertionsEnabled(true).build();
            return JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schema, config);
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + resource, e);
        }
    }

    private static ObjectMapper strictMapper() {
        ObjectMapper mapper = new ObjectMapper();
        mapper.enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
        mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        mapper.coercionConfigFor(LogicalType.Textual).setCoercion(CoercionInputShape.Integer, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Boolean, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Integer).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Float, CoercionAction.Fail);
        mapper.coercionConfigFor(LogicalType.Boolean).setCoercion(CoercionInputShape.String, CoercionAction.Fail)
                .setCoercion(CoercionInputShape.Integer, CoercionAction.Fail);
        return mapper;
    }
}
