package dev.rewind.deploy.support;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Renders a kustomization the way an operator does: {@code kubectl kustomize DIR} (kubectl's built-in kustomize), or
 * {@code kustomize build DIR} when only the standalone tool is installed. Both are installed by
 * deploy/local/parts/k8s-tools.sh ({@code k8s_tools_install}, run by {@code ./rewind infra}).
 */
public final class Kustomize {

    public static final List<String> OVERLAYS = List.of("local", "production");

    private static final Map<String, Rendered> CACHE = new ConcurrentHashMap<>();

    /** A rendered overlay: its objects and what the tool printed on stderr (warnings). */
    public record Rendered(List<Map<String, Object>> objects, String warnings) {

        public List<Map<String, Object>> ofKind(String kind) {
            return objects.stream().filter(o -> kind.equals(o.get("kind"))).toList();
        }

        public Map<String, Object> named(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(Yamls.str(o, "metadata.name"))).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + kind + " named " + name));
        }

        public Optional<Map<String, Object>> find(String kind, String name) {
            return ofKind(kind).stream().filter(o -> name.equals(Yamls.str(o, "metadata.name"))).findFirst();
        }
    }

    private Kustomize() {
    }

    public static Rendered overlay(String name) {
        return render("deploy/k8s/overlays/" + name);
    }

    public static Rendered base() {
        return render("deploy/k8s/base");
    }

    public static Rendered render(String relativeDir) {
        return CACHE.computeIfAbsent(relativeDir, d -> run(Repo.path(d)));
    }

    private static Rendered run(Path dir) {
        List<String> command = command(dir);
        try {
            Path out = Files.createTempFile("kustomize", ".yaml");
            Path err = Files.createTempFile("kustomize", ".err");
            Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new AssertionError(String.join(" ", command) + " did not finish in 120 s");
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (p.exitValue() != 0) {
                throw new AssertionError(String.join(" ", command) + " failed (exit " + p.exitValue() + "):\n" + stderr);
            }
            return new Rendered(Yamls.loadAll(stdout), stderr);
        } catch (IOException e) {
            throw new AssertionError("could not run " + String.join(" ", command)
                    + " — install the tools with ./rewind infra (deploy/local/parts/k8s-tools.sh)", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    private static List<String> command(Path dir) {
        List<String> command = new ArrayList<>();
        if (onPath("kubectl")) {
            command.addAll(List.of("kubectl", "kustomize", dir.toString()));
        } else if (onPath("kustomize")) {
            command.addAll(List.of("kustomize", "build", dir.toString()));
        } else {
            throw new AssertionError("neither kubectl nor kustomize is installed — run ./rewind infra "
                    + "(deploy/local/parts/k8s-tools.sh installs kubectl)");
        }
        return command;
    }

    private static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
