package dev.rewind.testing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.function.Predicate;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/** Reads and writes the local broker's topics directly, the way an outside consumer or a faulty producer would. */
public final class KafkaTopics {

    private KafkaTopics() {
    }

    /** Every record of the topic matching {@code filter}, reading from the beginning until {@code settle} passes with nothing new. */
    public static List<ConsumerRecord<String, String>> read(String topic, Predicate<ConsumerRecord<String, String>> filter, Duration settle) {
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(consumerProperties())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                    .map(p -> new TopicPartition(topic, p.partition()))
                    .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            List<ConsumerRecord<String, String>> found = new ArrayList<>();
            Instant quietUntil = Instant.now().plus(settle);
            while (Instant.now().isBefore(quietUntil)) {
                var records = consumer.poll(Duration.ofMillis(200));
                if (!records.isEmpty()) {
                    quietUntil = Instant.now().plus(settle);
                }
                records.forEach(r -> {
                    if (filter.test(r)) {
                        found.add(r);
                    }
                });
            }
            return found;
        }
    }

    /**
     * The records of the topic matching {@code filter}, read again until {@code until} holds for them; fails with what
     * was found when it still does not after {@code atMost}.
     */
    public static List<ConsumerRecord<String, String>> await(String topic, Predicate<ConsumerRecord<String, String>> filter,
            Predicate<List<ConsumerRecord<String, String>>> until, Duration atMost) {
        Instant deadline = Instant.now().plus(atMost);
        while (true) {
            List<ConsumerRecord<String, String>> found = read(topic, filter, Duration.ofMillis(400));
            if (until.test(found)) {
                return found;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("after " + atMost + " " + topic + " still lacks what was awaited; found " + found.size()
                        + " records: " + found.stream().map(ConsumerRecord::value).toList());
            }
        }
    }

    /** Sends a record again exactly as it was (key, value, headers): a redelivery. */
    public static void resend(ConsumerRecord<String, String> record) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(props)) {
            producer.send(new ProducerRecord<>(record.topic(), record.partition(), record.key(), record.value(), record.headers())).get();
        } catch (Exception e) {
            throw new IllegalStateException("cannot resend to " + record.topic(), e);
        }
    }

    private static Properties consumerProperties() {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, LocalStack.env("KAFKA_BOOTSTRAP_SERVERS"));
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        return props;
    }
}
