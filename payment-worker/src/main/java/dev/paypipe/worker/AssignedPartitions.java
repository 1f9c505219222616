package dev.paypipe.worker;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The partitions a worker owns right now: which to fetch and which to pause, and which offsets to
 * commit. Owned by the poll thread, like the consumer it drives.
 */
final class AssignedPartitions {
    private static final Logger log = LoggerFactory.getLogger(AssignedPartitions.class);

    private final Consumer<String, byte[]> consumer;
    private final Map<TopicPartition, PartitionState> partitions = new HashMap<>();
    /** Retry tier topic → its delay in millis. */
    private final Map<String, Long> tierDelays;
    private final long commitIntervalMillis;
    private final Clock clock;
    private long lastCommitMillis;

    AssignedPartitions(Consumer<String, byte[]> consumer, Map<String, Long> tierDelays, Duration commitInterval,
            Clock clock) {
        this.consumer = consumer;
        this.tierDelays = Map.copyOf(tierDelays);
        this.commitIntervalMillis = commitInterval.toMillis();
        this.clock = clock;
    }

    PartitionState get(TopicPartition tp) {
        return partitions.get(tp);
    }

    PartitionState add(TopicPartition tp) {
        PartitionState ps = new PartitionState(tp, tierDelays.getOrDefault(tp.topic(), 0L));
        partitions.put(tp, ps);
        return ps;
    }

    PartitionState remove(TopicPartition tp) {
        return partitions.remove(tp);
    }

    List<PartitionState> all() {
        return new ArrayList<>(partitions.values());
    }

    /**
     * Pauses every partition when {@code stopAll}, otherwise just the retry partitions whose head is
     * not yet due, and resumes the rest. The consumer keeps polling either way, so no rebalance.
     */
    void updatePauses(boolean stopAll) {
        long now = clock.millis();
        Set<TopicPartition> paused = consumer.paused();
        List<TopicPartition> toPause = null;
        List<TopicPartition> toResume = null;
        for (PartitionState ps : partitions.values()) {
            if (ps.waitingUntil != 0 && ps.waitingUntil <= now) {
                ps.waitingUntil = 0;
            }
            boolean shouldPause = stopAll || ps.waitingUntil != 0;
            boolean isPaused = paused.contains(ps.tp);
            if (shouldPause && !isPaused) {
                (toPause == null ? toPause = new ArrayList<>() : toPause).add(ps.tp);
            } else if (!shouldPause && isPaused) {
                (toResume == null ? toResume = new ArrayList<>() : toResume).add(ps.tp);
            }
        }
        if (toPause != null) {
            consumer.pause(toPause);
        }
        if (toResume != null) {
            consumer.resume(toResume);
        }
    }

    /** Every commit interval, commits (asynchronously) the partitions whose committable offset moved. */
    void maybeCommit() {
        long now = clock.millis();
        if (now - lastCommitMillis < commitIntervalMillis) {
            return;
        }
        lastCommitMillis = now;
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState ps : partitions.values()) {
            long next = ps.offsets.committable();
            if (next > ps.lastCommitted) {
                offsets.put(ps.tp, new OffsetAndMetadata(next));
                ps.lastCommitted = next;
            }
        }
        if (!offsets.isEmpty()) {
            consumer.commitAsync(offsets, (committed, error) -> {
                if (error != null) {
                    // Runs on this thread (inside poll): forget the position so the next turn commits it again.
                    committed.forEach((tp, offset) -> {
                        PartitionState ps = partitions.get(tp);
                        if (ps != null && ps.lastCommitted == offset.offset()) {
                            ps.lastCommitted = -1;
                        }
                    });
                    log.atWarn().setMessage("offset commit failed: will retry")
                            .addKeyValue("event", "offset_commit_failed")
                            .addKeyValue("partitions", committed.keySet().toString())
                            .addKeyValue("error", error.toString()).log();
                }
            });
        }
    }

    /**
     * Commits synchronously every partition of {@code states} that finished anything, even if an
     * earlier async commit already covered it, because that commit may have failed. Returns false only
     * when a rebalance in progress refused the commit: it can succeed once a poll has finished the rebalance.
     */
    boolean commitNow(Collection<PartitionState> states) {
        Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
        for (PartitionState ps : states) {
            if (ps.offsets.committable() >= 0) {
                offsets.put(ps.tp, new OffsetAndMetadata(ps.offsets.committable()));
                ps.lastCommitted = ps.offsets.committable();
            }
        }
        if (!offsets.isEmpty()) {
            try {
                consumer.commitSync(offsets);
            } catch (RebalanceInProgressException e) {
                log.atInfo().setMessage("offset commit waits for the rebalance in progress")
                        .addKeyValue("event", "offset_commit_deferred")
                        .addKeyValue("partitions", offsets.keySet().toString()).log();
                return false;
            } catch (RuntimeException e) {
                log.atWarn().setMessage("offset commit failed").addKeyValue("event", "offset_commit_failed")
                        .addKeyValue("partitions", offsets.keySet().toString()).addKeyValue("error", e.toString()).log();
            }
        }
        return true;
    }
}
