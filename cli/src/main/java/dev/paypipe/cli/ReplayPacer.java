package dev.paypipe.cli;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

/**
 * Spaces sends at {@code rate} per second from the first one: send n waits until start + n / rate,
 * so a slow send is caught up rather than lost, and the average never exceeds the rate. Used by
 * {@code paypipe dlq replay} and the dev jar's {@code load}.
 */
public final class ReplayPacer {
    /** How the pacer waits; tests record instead of sleeping. */
    public interface Sleeper {
        void sleep(Duration d) throws InterruptedException;
    }

    private final double rate;
    private final Clock clock;
    private final Sleeper sleeper;
    private Instant start;
    private long sent;

    public ReplayPacer(double rate, Clock clock, Sleeper sleeper) {
        if (!(rate > 0)) {
            throw new IllegalArgumentException("--rate must be above 0 records per second, got " + rate);
        }
        this.rate = rate;
        this.clock = clock;
        this.sleeper = sleeper;
    }

    /** Blocks until the next send is allowed. */
    public void acquire() throws InterruptedException {
        Instant now = clock.instant();
        if (start == null) {
            start = now;
        }
        Instant due = start.plusNanos((long) (sent * 1_000_000_000L / rate));
        if (due.isAfter(now)) {
            sleeper.sleep(Duration.between(now, due));
        }
        sent++;
    }
}
