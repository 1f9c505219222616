package dev.paypipe.worker;

import dev.paypipe.dispatch.OffsetTracker;
import org.apache.kafka.common.TopicPartition;

/** The worker's view of one assigned partition. */
final class PartitionState {
    final TopicPartition tp;
    final boolean retryTier;
    final OffsetTracker offsets = new OffsetTracker();
    long lastCommitted = -1;
    boolean revoked;
    /** For a retry tier: epoch millis when the record at the head becomes due; 0 when not waiting. */
    long waitingUntil;
    /** Revocation or shutdown under way: queued work is handed back, calls in flight finish. */
    boolean draining;
    /** Works dispatched or being published and not yet acknowledged. */
    int active;

    PartitionState(TopicPartition tp, boolean retryTier) {
        this.tp = tp;
        this.retryTier = retryTier;
    }
}
