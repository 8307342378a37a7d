package dev.rewind.deploy.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The repository under test and the local stack's settings (deploy/local/stack.env, the one source of ports and values). */
public final class Repo {

    /** The five services, in the order of DESIGN.md. */
    public static final List<String> SERVICES = List.of("server-registry", "backup-service", "pitr-service", "agent-gateway",
            "run-registry");

    private static final Pattern EXPORT = Pattern.compile("^export ([A-Z][A-Z0-9_]*)=(.*)$");
    private static final Pattern REF = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::-([^}]*))?}");

    private static Map<String, String> stackEnv;

    private Repo() {
    }

    public static Path root() {
        String configured = System.getProperty("rewind.repo");
        Path start = Path.of(configured != null ? configured : System.getProperty("user.dir")).toAbsolutePath().normalize();
        for (Path p = start; p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("deploy/local/stack.env"))) {
                return p;
            }
        }
        throw new IllegalStateException("no deploy/local/stack.env above " + start);
    }

    public static Path path(String relative) {
        return root().resolve(relative);
    }

    public static String read(String relative) {
        try {
            return Files.readString(path(relative));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Where ./rewind keeps its state and the tools of deploy/local/parts/k8s-tools.sh. */
    public static Path rewindHome() {
        String env = System.getenv("REWIND_HOME");
        return env != null && !env.isBlank() ? Path.of(env) : root().resolve(".rewind");
    }

    /**
     * The plain {@code export NAME=value} settings of stack.env, with {@code ${NAME}} and {@code ${NAME:-default}}
     * references expanded (lines computed by the shell, such as REWIND_REPO, are left out).
     */
    public static synchronized Map<String, String> stackEnv() {
        if (stackEnv == null) {
            Map<String, String> env = new LinkedHashMap<>();
            for (String line : read("deploy/local/stack.env").split("\n")) {
                Matcher m = EXPORT.matcher(line.strip());
                if (!m.matches() || line.startsWith(" ") || m.group(2).contains("$(")) {
                    continue;
                }
                String value = unquote(m.group(2));
                Matcher ref = REF.matcher(value);
                StringBuilder expanded = new StringBuilder();
                while (ref.find()) {
                    String replacement = env.getOrDefault(ref.group(1), ref.group(2) == null ? "" : ref.group(2));
                    ref.appendReplacement(expanded, Matcher.quoteReplacement(replacement));
                }
                ref.appendTail(expanded);
                env.put(m.group(1), expanded.toString());
            }
            stackEnv = env;
        }
        return stackEnv;
    }

    public static String stack(String name) {
        String value = stackEnv().get(name);
        if (value == null) {
            throw new IllegalStateException(name + " is not set in deploy/local/stack.env");
        }
        return value;
    }

    /** A service's port: the port of its REWIND_<SERVICE>_URL in stack.env. */
    public static int servicePort(String service) {
        String url = stack("REWIND_" + envName(service) + "_URL");
        return Integer.parseInt(url.substring(url.lastIndexOf(':') + 1));
    }

    /** server-registry → SERVER_REGISTRY */
    public static String envName(String service) {
        return service.toUpperCase().replace('-', '_');
    }

    private static String unquote(String v) {
        String s = v.strip();
        if (s.length() >= 2 && (s.startsWith("\"") && s.endsWith("\"") || s.startsWith("'") && s.endsWith("'"))) {
            return s.substring(1, s.length() - 1);
        }
        return s;
    }
}
