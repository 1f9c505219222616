package dev.paypipe.dispatch;

import java.util.ArrayDeque;

/**
 * Tracks the records of one partition from poll to acknowledged output, so the worker commits only
 * below the oldest unfinished offset. Records are added in offset order and finished in any order.
 * Not thread-safe: owned by the poll thread.
 */
public final class OffsetTracker {
    /** One record in flight; {@link #finish()} it once its output is acknowledged. */
    public static final class Slot {
        private final long offset;
        private boolean finished;

        Slot(long offset) {
            this.offset = offset;
        }

        public long offset() {
            return offset;
        }

        public boolean isFinished() {
            return finished;
        }
    }

    private final ArrayDeque<Slot> open = new ArrayDeque<>();
    private long committable = -1;

    /** Registers the next polled record; offsets must increase. */
    public Slot track(long offset) {
        Slot last = open.peekLast();
        if ((last != null && offset <= last.offset) || offset < committable) {
            throw new IllegalArgumentException("offset " + offset + " is not after the last tracked offset");
        }
        Slot slot = new Slot(offset);
        open.addLast(slot);
        return slot;
    }

    /** Marks a record finished and advances the committable position past every finished head. */
    public void finish(Slot slot) {
        slot.finished = true;
        Slot head;
        while ((head = open.peekFirst()) != null && head.finished) {
            open.pollFirst();
            committable = head.offset + 1;
        }
    }

    /** The offset to commit (the next record to consume after a restart), or -1 when nothing finished yet. */
    public long committable() {
        return committable;
    }

    /** Records tracked and not yet committable. */
    public int pending() {
        return open.size();
    }

    /** The oldest unfinished offset, or -1. */
    public long oldestUnfinished() {
        Slot head = open.peekFirst();
        return head == null ? -1 : head.offset;
    }
}
