package dev.rewind.deploy;

import static dev.rewind.deploy.support.Yamls.at;
import static dev.rewind.deploy.support.Yamls.map;
import static dev.rewind.deploy.support.Yamls.str;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.rewind.deploy.support.Kustomize;
import dev.rewind.deploy.support.Topics;
import dev.rewind.deploy.support.Topics.Topic;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The Strimzi KafkaTopic resources are exactly deploy/local/kafka/topics.txt (less its test-only topic). */
class KafkaTopicsTest {

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void kafkaTopicsEqualTopicsTxt(String overlay) {
        Map<String, Topic> manifests = new LinkedHashMap<>();
        for (Map<String, Object> t : Kustomize.overlay(overlay).ofKind("KafkaTopic")) {
            assertEquals("kafka.strimzi.io/v1beta2", t.get("apiVersion"));
            Map<String, String> config = new LinkedHashMap<>();
            map(at(t, "spec.config")).forEach((k, v) -> config.put(k, String.valueOf(v)));
            String name = str(t, "spec.topicName");
            manifests.put(name, new Topic(name, (Integer) at(t, "spec.partitions"), config));
        }
        Map<String, Topic> expected = new LinkedHashMap<>();
        Topics.deployed().forEach(t -> expected.put(t.name(), t));
        assertEquals(expected, manifests);
    }

    @Test
    void theTestOnlyTopicIsNeverDeployed() {
        for (String overlay : Kustomize.OVERLAYS) {
            assertTrue(Kustomize.overlay(overlay).ofKind("KafkaTopic").stream()
                    .noneMatch(t -> Topics.TEST_ONLY.equals(str(t, "spec.topicName"))), overlay);
        }
    }

    @Test
    void replicasFollowTheSizeOfTheCluster() {
        for (Map<String, Object> t : Kustomize.overlay("local").ofKind("KafkaTopic")) {
            assertEquals(1, at(t, "spec.replicas"), "one broker locally: " + str(t, "spec.topicName"));
        }
        for (Map<String, Object> t : Kustomize.overlay("production").ofKind("KafkaTopic")) {
            assertTrue((Integer) at(t, "spec.replicas") >= 3, "production survives a broker loss: " + str(t, "spec.topicName"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"local", "production"})
    void everyTopicBelongsToTheRewindKafkaClusterTheServicesBootstrapFrom(String overlay) {
        Set<String> clusters = new TreeSet<>();
        for (Map<String, Object> t : Kustomize.overlay(overlay).ofKind("KafkaTopic")) {
            clusters.add(String.valueOf(map(at(t, "metadata.labels")).get("strimzi.io/cluster")));
        }
        assertEquals(Set.of("rewind"), clusters);
        String bootstrap = String.valueOf(Kustomize.overlay(overlay).ofKind("ConfigMap").stream()
                .filter(cm -> str(cm, "metadata.name").startsWith("rewind-platform-")).findFirst().orElseThrow()
                .get("data") instanceof Map<?, ?> m ? m.get("kafka-bootstrap-servers") : null);
        assertTrue(bootstrap.startsWith("rewind-kafka-bootstrap"), "Strimzi's bootstrap Service of cluster rewind: " + bootstrap);
    }

    @Test
    void theAsyncApiDocumentDescribesTheSameTopics() {
        Map<String, Object> asyncapi = EventContractsTest.asyncApi();
        Map<String, Topic> described = new LinkedHashMap<>();
        for (Object channel : map(asyncapi.get("channels")).values()) {
            Map<String, Object> c = map(channel);
            Map<String, String> config = new LinkedHashMap<>();
            Object topicConfiguration = at(c, "bindings.kafka.topicConfiguration");
            if (topicConfiguration != null) {
                map(topicConfiguration).forEach((k, v) -> config.put(k, String.join(",", ((List<?>) v).stream().map(String::valueOf).toList())));
            }
            String address = String.valueOf(c.get("address"));
            assertEquals(address, str(c, "bindings.kafka.topic"));
            described.put(address, new Topic(address, (Integer) at(c, "bindings.kafka.partitions"), config));
        }
        Map<String, Topic> expected = new LinkedHashMap<>();
        Topics.deployed().forEach(t -> expected.put(t.name(), t));
        assertEquals(expected, described);
    }
}
