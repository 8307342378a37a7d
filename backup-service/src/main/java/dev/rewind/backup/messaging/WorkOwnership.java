package dev.rewind.backup.messaging;

import dev.rewind.backup.service.ServerProjection;
import dev.rewind.commons.work.Blocking;
import io.quarkus.logging.Log;
import io.smallrye.common.annotation.Identifier;
import io.smallrye.reactive.messaging.kafka.KafkaConsumerRebalanceListener;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.enterprise.inject.Default;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.TopicPartition;

/**
 * Which servers' backups this instance runs: those whose {@code rewind.servers} partition the consumer group of the
 * {@code servers} channel gave it. Adding a replica spreads servers over it, and a replica that leaves (or dies and
 * misses its session) hands its servers to the others, with no coordinator of our own. The database still guarantees
 * what must never break: one backup per server at a time, and each queued backup taken once, even while a
 * rebalance moves a server and its old owner finishes the backup it had started.
 */
@ApplicationScoped
@Default // for this service's own injection points; the Kafka connector looks it up by its identifier
@Identifier(WorkOwnership.NAME)
public class WorkOwnership implements KafkaConsumerRebalanceListener {

    public static final String NAME = "backup-work-ownership";

    private final ServerProjection projection;
    private final Event<Assigned> assignedEvents;
    private final Set<Integer> held = ConcurrentHashMap.newKeySet();
    private volatile int partitionCount;

    public WorkOwnership(ServerProjection projection, Event<Assigned> assignedEvents) {
        this.projection = projection;
        this.assignedEvents = assignedEvents;
    }

    /** The partitions of rewind.servers this instance holds now: the servers whose queued backups it may take. */
    public Set<Integer> partitions() {
        return Set.copyOf(held);
    }

    /** How many partitions rewind.servers has (0 until the first assignment). */
    public int partitionCount() {
        return partitionCount;
    }

    @Override
    public void onPartitionsAssigned(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        if (partitions.isEmpty()) {
            return;
        }
        String topic = partitions.iterator().next().topic();
        int count = consumer.partitionsFor(topic).size();
        try {
            int filled = Blocking.await(() -> projection.assignMissingPartitions(count));
            if (filled > 0) {
                Log.infof("recorded the %s partition of %d servers projected before partitions were kept", topic, filled);
            }
        } catch (RuntimeException e) {
            // until a later assignment records them, those servers' backups are taken by whichever instance looks
            Log.warnf("cannot record the partitions of older servers: %s", e.getMessage());
        }
        partitionCount = count;
        held.addAll(numbers(partitions));
        Log.infof("backup work: holding %s partitions %s", topic, new TreeSet<>(held));
        assignedEvents.fire(new Assigned());
    }

    @Override
    public void onPartitionsRevoked(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        held.removeAll(numbers(partitions));
        if (!partitions.isEmpty()) {
            Log.infof("backup work: %s partitions %s moved away; backups already running here finish here",
                    partitions.iterator().next().topic(), numbers(partitions));
        }
    }

    @Override
    public void onPartitionsLost(Consumer<?, ?> consumer, Collection<TopicPartition> partitions) {
        onPartitionsRevoked(consumer, partitions);
    }

    private static List<Integer> numbers(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::partition).toList();
    }

    /** Fired after partitions were assigned here, so queued backups of the servers taken over start at once. */
    public record Assigned() {
    }
}
