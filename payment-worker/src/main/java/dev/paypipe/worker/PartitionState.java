package dev.paypipe.worker;

import dev.paypipe.dispatch.OffsetTracker;
import org.apache.kafka.common.TopicPartition;

/** The worker's view of one assigned partition. */
final class PartitionState {
    final TopicPartition tp;
    final boolean retryTier;
    /** The tier's delay for a retry tier partition, else 0. */
    final long tierDelayMillis;
    /** The not-yet-due record this partition is held on, and since when (epoch millis). */
    long heldOffset = -1;
    long heldSince;
    final OffsetTracker offsets = new OffsetTracker();
    long lastCommitted = -1;
    boolean revoked;
    /** For a retry tier: epoch millis when the record at the head becomes due; 0 when not waiting. */
    long waitingUntil;
    /** Revocation or shutdown under way: queued work is handed back, calls in flight finish. */
    boolean draining;
    /** Works dispatched or being published and not yet acknowledged. */
    int active;

    PartitionState(TopicPartition tp, long tierDelayMillis) {
        this.tp = tp;
        this.retryTier = tierDelayMillis > 0;
        this.tierDelayMillis = tierDelayMillis;
    }
}
