package dev.rewind.deploy.support;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** deploy/local/kafka/topics.txt — the one list of Rewind's Kafka topics. */
public final class Topics {

    /** Topics that exist only for the test suite; never deployed. */
    public static final String TEST_ONLY = "rewind.commons-test";

    public record Topic(String name, int partitions, Map<String, String> configs) {
    }

    private Topics() {
    }

    public static List<Topic> all() {
        List<Topic> topics = new ArrayList<>();
        for (String line : Repo.read("deploy/local/kafka/topics.txt").split("\n")) {
            String l = line.strip();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] f = l.split("\\s+");
            Map<String, String> configs = new LinkedHashMap<>();
            if (f.length > 2 && !f[2].equals("-")) {
                for (String kv : f[2].split(",")) {
                    String[] p = kv.split("=", 2);
                    configs.put(p[0], p[1]);
                }
            }
            topics.add(new Topic(f[0], Integer.parseInt(f[1]), configs));
        }
        return topics;
    }

    /** The topics a deployment creates: all but the test-only ones. */
    public static List<Topic> deployed() {
        return all().stream().filter(t -> !t.name().equals(TEST_ONLY)).toList();
    }
}
