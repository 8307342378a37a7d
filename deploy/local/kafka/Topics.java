// Creates (idempotently) the topics listed in topics.txt on the local Kafka broker.
// Run: java -cp '<kafka lib>/*' Topics.java <topics.txt> <bootstrap servers>
// Missing topics are created; existing ones get missing partitions added and their configs set.

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;

public class Topics {
    record Spec(String name, int partitions, Map<String, String> configs) {}

    public static void main(String[] args) throws Exception {
        List<Spec> specs = new ArrayList<>();
        for (String raw : Files.readAllLines(Path.of(args[0]))) {
            String line = raw.strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split("\\s+");
            Map<String, String> configs = new HashMap<>();
            if (f.length > 2 && !f[2].equals("-")) {
                for (String kv : f[2].split(",")) {
                    String[] p = kv.split("=", 2);
                    configs.put(p[0], p[1]);
                }
            }
            specs.add(new Spec(f[0], Integer.parseInt(f[1]), configs));
        }

        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[1]);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "15000");
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> toCreate = new ArrayList<>();
            for (Spec s : specs) {
                if (!existing.contains(s.name())) {
                    toCreate.add(new NewTopic(s.name(), s.partitions(), (short) 1).configs(s.configs()));
                }
            }
            if (!toCreate.isEmpty()) {
                admin.createTopics(toCreate).all().get(30, TimeUnit.SECONDS);
                for (NewTopic t : toCreate) {
                    System.out.println("created " + t.name() + " (" + t.numPartitions() + " partitions" + (t.configs().isEmpty() ? "" : ", " + t.configs()) + ")");
                }
            }
            Map<String, TopicDescription> descriptions = admin.describeTopics(
                    specs.stream().map(Spec::name).toList()).allTopicNames().get(30, TimeUnit.SECONDS);
            for (Spec s : specs) {
                int current = descriptions.get(s.name()).partitions().size();
                if (current < s.partitions()) {
                    admin.createPartitions(Map.of(s.name(), NewPartitions.increaseTo(s.partitions()))).all().get(30, TimeUnit.SECONDS);
                    System.out.println("increased " + s.name() + " to " + s.partitions() + " partitions");
                } else if (current > s.partitions()) {
                    System.out.println("WARNING " + s.name() + " has " + current + " partitions, topics.txt says " + s.partitions() + " (Kafka cannot shrink)");
                }
                if (!s.configs().isEmpty()) {
                    ConfigResource res = new ConfigResource(ConfigResource.Type.TOPIC, s.name());
                    List<AlterConfigOp> ops = s.configs().entrySet().stream()
                            .map(e -> new AlterConfigOp(new ConfigEntry(e.getKey(), e.getValue()), AlterConfigOp.OpType.SET))
                            .toList();
                    admin.incrementalAlterConfigs(Map.of(res, ops)).all().get(30, TimeUnit.SECONDS);
                }
            }
            System.out.println("topics ok: " + specs.size() + " topics (" + specs.stream().map(Spec::name).toList() + ")");
        }
    }
}
