package dev.paypipe.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.BooleanSupplier;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rebalance and drain: when partitions leave (revocation, shutdown) their queued work is handed back,
 * their calls in flight finish and their outputs are acknowledged, up to {@code worker.shutdown-timeout}
 * on the injected clock, then what finished is committed synchronously. Partitions that arrive are
 * paused before their first fetch while fetching is stopped (operator pause, open breaker, full backlog).
 * Runs on the poll thread (Kafka calls the listener from inside {@code poll}).
 */
final class PartitionHandover implements ConsumerRebalanceListener {
    private static final Logger log = LoggerFactory.getLogger(PartitionHandover.class);
    private static final long DRAIN_WAIT_MILLIS = 10;
    private static final Duration REJOIN_POLL = Duration.ofMillis(100);

    /** Moves work along while a drain waits: handles answers and acks, hands back queued work. */
    interface Pump {
        /** Waits up to {@code maxWaitMillis} for progress, then handles whatever arrived. */
        void pump(long maxWaitMillis) throws InterruptedException;
    }

    private final AssignedPartitions partitions;
    private final Consumer<String, byte[]> consumer;
    private final BooleanSupplier fetchingStopped;
    private final Runnable flush;
    private final Pump pump;
    private final Duration timeout;
    private final Clock clock;

    PartitionHandover(AssignedPartitions partitions, Consumer<String, byte[]> consumer, BooleanSupplier fetchingStopped,
            Runnable flush, Pump pump, Duration timeout, Clock clock) {
        this.partitions = partitions;
        this.consumer = consumer;
        this.fetchingStopped = fetchingStopped;
        this.flush = flush;
        this.pump = pump;
        this.timeout = timeout;
        this.clock = clock;
    }

    /**
     * Lets the calls in flight for {@code states} finish and their outputs be acknowledged, up to the
     * timeout, then commits what finished. Work not yet started is handed back.
     */
    boolean drainAndCommit(Collection<PartitionState> states) {
        for (PartitionState ps : states) {
            ps.draining = true;
        }
        long deadline = clock.millis() + timeout.toMillis();
        flush.run();
        while (clock.millis() < deadline && anyActive(states)) {
            try {
                pump.pump(DRAIN_WAIT_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        long stillActive = states.stream().mapToLong(ps -> ps.active).sum();
        if (stillActive > 0) {
            log.atWarn().setMessage("drain timed out: those records will be processed again by the next owner "
                    + "(safe: the idempotency key is the payment id)").addKeyValue("event", "drain_timeout")
                    .addKeyValue("active", stillActive).addKeyValue("timeout", timeout.toString()).log();
        }
        return partitions.commitNow(states);
    }

    private static boolean anyActive(Collection<PartitionState> states) {
        for (PartitionState ps : states) {
            if (ps.active > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * On stop: pauses fetching, swallows the wakeup that stopped the loop, and drains every partition. A
     * rebalance in progress (a restarted worker joining just then) refuses the final commit: the consumer then
     * polls, partitions paused, until the rebalance is done and the commit goes through, up to the timeout, so
     * the next owner does not call the gateway again for what this worker finished.
     */
    void shutdown() {
        try {
            consumer.pause(consumer.assignment());
            try {
                // Consumes a pending wakeup, which would otherwise abort the final commit.
                consumer.poll(Duration.ZERO);
            } catch (WakeupException expected) {
                // the wakeup that stopped the loop
            }
            boolean committed = drainAndCommit(partitions.all());
            long deadline = clock.millis() + timeout.toMillis();
            while (!committed && clock.millis() < deadline) {
                consumer.poll(REJOIN_POLL); // records of partitions assigned meanwhile are dropped: never committed
                consumer.pause(consumer.assignment());
                committed = partitions.commitNow(partitions.all());
            }
        } catch (RuntimeException e) {
            log.atWarn().setMessage("shutdown did not finish draining").addKeyValue("event", "shutdown_incomplete")
                    .addKeyValue("error", e.toString()).log();
        }
    }

    /** {@code topic-partition} strings: a TopicPartition has no bean properties, so JSON would print {@code {}}. */
    private static List<String> names(Collection<TopicPartition> partitions) {
        return partitions.stream().map(TopicPartition::toString).sorted().toList();
    }

    @Override
    public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
        if (revoked.isEmpty()) {
            return;
        }
        List<PartitionState> leaving = new ArrayList<>();
        for (TopicPartition tp : revoked) {
            PartitionState ps = partitions.get(tp);
            if (ps != null) {
                leaving.add(ps);
            }
        }
        drainAndCommit(leaving);
        for (PartitionState ps : leaving) {
            ps.revoked = true;
            partitions.remove(ps.tp);
        }
        log.atInfo().setMessage("partitions revoked").addKeyValue("event", "partitions_revoked").addKeyValue("partitions", names(revoked)).log();
    }

    @Override
    public void onPartitionsLost(Collection<TopicPartition> lost) {
        for (TopicPartition tp : lost) {
            PartitionState ps = partitions.remove(tp);
            if (ps != null) {
                ps.revoked = true;
            }
        }
        log.atWarn().setMessage("partitions lost").addKeyValue("event", "partitions_lost").addKeyValue("partitions", names(lost)).log();
    }

    @Override
    public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
        Set<TopicPartition> pauseNow = new HashSet<>();
        boolean stopped = fetchingStopped.getAsBoolean();
        for (TopicPartition tp : assigned) {
            partitions.add(tp);
            if (stopped) {
                pauseNow.add(tp);
            }
        }
        if (!pauseNow.isEmpty()) {
            // Re-apply the fleet or breaker pause before the first fetch of the new partitions.
            consumer.pause(pauseNow);
        }
        log.atInfo().setMessage("partitions assigned").addKeyValue("event", "partitions_assigned").addKeyValue("partitions", names(assigned)).log();
    }
}
