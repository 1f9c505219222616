package dev.paypipe.worker;

import java.time.Clock;

/**
 * When a retry tier record may run. A record runs once its due time has come. One not yet due holds
 * its partition (the loop rewinds to it and pauses the partition) until then, but never longer than
 * the tier's delay, so the records behind it wait at most that long; a head still not due after a
 * full tier delay (a Retry-After beyond the longest tier, or clock skew) goes to the back of its tier.
 * Owned by the poll thread; the hold is kept in the partition's {@link PartitionState}.
 */
final class TierGate {
    /** What to do with a retry tier record now. */
    enum Verdict {
        /** Due: decode and run it. */
        RUN,
        /** Not yet due: rewind to it and stop fetching the partition until {@link PartitionState#waitingUntil}. */
        HOLD,
        /** Held for a full tier delay and still not due: re-publish it unchanged to the end of its tier. */
        SEND_TO_BACK
    }

    private final Clock clock;

    TierGate(Clock clock) {
        this.clock = clock;
    }

    /** The verdict for the record at {@code offset} of retry tier partition {@code ps}, due at {@code dueAtMillis}. */
    Verdict check(PartitionState ps, long offset, long dueAtMillis) {
        long now = clock.millis();
        if (dueAtMillis <= now) {
            return Verdict.RUN;
        }
        if (ps.heldOffset == offset && now - ps.heldSince >= ps.tierDelayMillis) {
            return Verdict.SEND_TO_BACK;
        }
        if (ps.heldOffset != offset) {
            ps.heldOffset = offset;
            ps.heldSince = now;
        }
        ps.waitingUntil = Math.min(dueAtMillis, ps.heldSince + ps.tierDelayMillis);
        return Verdict.HOLD;
    }
}
