package dev.rewind.deploy.support;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The configuration a service reads: its application.properties over the shared defaults of commons
 * (META-INF/microprofile-config.properties), and the environment variables they reference.
 */
public final class ServiceConfig {

    /** {@code ${NAME}} or {@code ${NAME:default}} with an environment-style (upper-case) name. */
    private static final Pattern ENV_REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(:[^}]*)?}");

    private ServiceConfig() {
    }

    public static Path applicationProperties(String service) {
        return Repo.path(service + "/src/main/resources/application.properties");
    }

    public static Path commonsDefaults() {
        return Repo.path("commons/src/main/resources/META-INF/microprofile-config.properties");
    }

    /** The properties that apply in production: keys without a profile, and %prod. keys (the profile stripped). */
    public static Map<String, String> properties(String service) {
        Map<String, String> merged = new TreeMap<>();
        merged.putAll(productionProperties(commonsDefaults()));
        merged.putAll(productionProperties(applicationProperties(service)));
        return merged;
    }

    /**
     * The environment variables the service's production configuration references, each with its default
     * ({@code ${NAME:default}}), or null when the reference has none.
     */
    public static Map<String, String> environmentReferences(String service) {
        Map<String, String> refs = new TreeMap<>();
        for (String value : properties(service).values()) {
            Matcher m = ENV_REF.matcher(value);
            while (m.find()) {
                String def = m.group(2) == null ? null : m.group(2).substring(1);
                if (!refs.containsKey(m.group(1)) || def == null) {
                    refs.put(m.group(1), def);
                }
            }
        }
        return refs;
    }

    /**
     * The variables a deployment must set: those referenced without a default, and those whose default names the
     * loopback (a local-stack default such as {@code http://127.0.0.1:8081}, wrong inside a pod or a container).
     */
    public static Set<String> requiredEnvironment(String service) {
        Set<String> required = new TreeSet<>();
        environmentReferences(service).forEach((name, def) -> {
            if (def == null || def.contains("127.0.0.1") || def.contains("localhost")) {
                required.add(name);
            }
        });
        return required;
    }

    private static Map<String, String> productionProperties(Path file) {
        Properties p = new Properties();
        try {
            p.load(new StringReader(Files.readString(file)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Map<String, String> result = new TreeMap<>();
        for (String key : p.stringPropertyNames()) {
            if (!key.startsWith("%")) {
                result.putIfAbsent(key, p.getProperty(key));
            }
        }
        for (String key : p.stringPropertyNames()) {
            if (key.startsWith("%prod.")) {
                result.put(key.substring("%prod.".length()), p.getProperty(key));
            }
        }
        return result;
    }
}
