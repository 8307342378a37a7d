package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Repo;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** deploy/docker/*.Dockerfile, checked statically (no Docker engine here): JVM images of the fast-jar, non-root. */
class DockerfilesTest {

    static Stream<String> services() {
        return Repo.SERVICES.stream();
    }

    /** Instructions with their continuation lines joined, comments dropped. */
    static List<String[]> instructions(String service) {
        List<String[]> result = new ArrayList<>();
        StringBuilder current = new StringBuilder();
        for (String line : Repo.read("deploy/docker/" + service + ".Dockerfile").split("\n")) {
            if (line.isBlank() || line.strip().startsWith("#")) {
                continue;
            }
            if (line.endsWith("\\")) {
                current.append(line, 0, line.length() - 1).append(' ');
                continue;
            }
            current.append(line);
            String text = current.toString().strip();
            current.setLength(0);
            int space = text.indexOf(' ');
            result.add(new String[] {text.substring(0, space).toUpperCase(), text.substring(space + 1).strip()});
        }
        return result;
    }

    static List<String> args(String service, String instruction) {
        return instructions(service).stream().filter(i -> i[0].equals(instruction)).map(i -> i[1]).toList();
    }

    @ParameterizedTest
    @MethodSource("services")
    void startsFromAPinnedDebianImage(String service) {
        List<String> from = args(service, "FROM");
        assertEquals(1, from.size());
        assertTrue(from.get(0).matches("debian:\\d+(\\.\\d+)?-slim"), "a pinned Debian release: " + from.get(0));
    }

    @ParameterizedTest
    @MethodSource("services")
    void copiesTheQuarkusFastJarOfItsOwnModule(String service) {
        List<String> sources = args(service, "COPY").stream().map(a -> a.split("\\s+")[0]).toList();
        String prefix = service + "/target/quarkus-app/";
        for (String part : List.of("lib/", "quarkus-run.jar", "app/", "quarkus/")) {
            assertTrue(sources.contains(prefix + part), service + " copies " + prefix + part);
        }
        for (String s : sources) {
            assertTrue(s.startsWith(prefix), "only its own fast-jar: " + s);
        }
        String entrypoint = String.join(" ", args(service, "ENTRYPOINT"));
        assertTrue(entrypoint.contains("-jar /deployments/quarkus-run.jar"), entrypoint);
        assertTrue(entrypoint.contains("exec java"), "java is PID 1's image: signals reach it");
        String ignore = Repo.read("deploy/docker/" + service + ".Dockerfile.dockerignore");
        assertTrue(ignore.lines().anyMatch(l -> l.equals("*")) && ignore.lines().anyMatch(l -> l.equals("!" + prefix)),
                "the build context is only the fast-jar");
    }

    @ParameterizedTest
    @MethodSource("services")
    void runsAsTheNonRootUserTheKubernetesPodsExpect(String service) {
        List<String> user = args(service, "USER");
        assertEquals(1, user.size());
        Matcher m = Pattern.compile("(\\d+)(:(\\d+))?").matcher(user.get(0));
        assertTrue(m.matches(), "numeric USER (runAsNonRoot can only check numbers): " + user.get(0));
        assertFalse(m.group(1).equals("0"));
        for (String overlay : Kustomize.OVERLAYS) {
            Map<String, Object> d = Kustomize.overlay(overlay).named("Deployment", service);
            assertEquals(Integer.parseInt(m.group(1)), at(d, "spec.template.spec.securityContext.runAsUser"), overlay);
        }
        String run = String.join(" ", args(service, "RUN"));
        assertTrue(run.contains("useradd --system --uid " + m.group(1)), "the user exists in the image");
    }

    @ParameterizedTest
    @MethodSource("services")
    void exposesAndListensOnTheServicePort(String service) {
        String port = String.valueOf(Repo.servicePort(service));
        assertEquals(List.of(port), args(service, "EXPOSE"));
        assertTrue(String.join(" ", args(service, "ENV")).contains("QUARKUS_HTTP_PORT=" + port));
    }

    @ParameterizedTest
    @MethodSource("services")
    void installsWhatTheServiceRunsAndCleansTheAptLists(String service) {
        String run = String.join(" ", args(service, "RUN"));
        assertTrue(run.contains("apt-get update") && run.contains("apt-get install -y --no-install-recommends"), run);
        assertTrue(run.contains("openjdk-17-jre-headless"), "the services are Java 17");
        assertTrue(run.contains("rm -rf /var/lib/apt/lists/*"));
        boolean mydumper = run.matches(".*\\bmydumper\\b.*");
        assertEquals(service.equals("backup-service"), mydumper, "mydumper (and its myloader) only in backup-service");
    }
}
