package dev.paypipe.gateway;

import dev.paypipe.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** {@link CallDeadlines} on a {@link MutableClock}: expiries run on the test's thread when it advances the clock. */
final class FakeCallDeadlines implements CallDeadlines {
    private final MutableClock clock;
    private final List<Scheduled> scheduled = new ArrayList<>();
    private long sequence;

    FakeCallDeadlines(MutableClock clock) {
        this.clock = clock;
    }

    private final class Scheduled implements Expiry {
        final Instant due;
        final long order;
        final Runnable action;

        Scheduled(Instant due, long order, Runnable action) {
            this.due = due;
            this.order = order;
            this.action = action;
        }

        @Override
        public void cancel() {
            synchronized (FakeCallDeadlines.this) {
                scheduled.remove(this);
            }
        }
    }

    @Override
    public synchronized Expiry schedule(Duration timeout, Runnable onExpiry) {
        Scheduled s = new Scheduled(clock.instant().plus(timeout), sequence++, onExpiry);
        scheduled.add(s);
        return s;
    }

    /** Moves the clock and runs, in due order, every expiry that is now due. */
    void advance(Duration by) {
        clock.advance(by);
        while (true) {
            Scheduled next;
            synchronized (this) {
                next = scheduled.stream().filter(s -> !s.due.isAfter(clock.instant()))
                        .min(Comparator.<Scheduled, Instant>comparing(s -> s.due).thenComparingLong(s -> s.order))
                        .orElse(null);
                if (next == null) {
                    return;
                }
                scheduled.remove(next);
            }
            next.action.run();
        }
    }

    @Override
    public synchronized int pending() {
        return scheduled.size();
    }

    @Override
    public void close() {
    }
}
