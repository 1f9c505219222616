package dev.paypipe.cli.dev.chaos;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

/** Waiting shared by the campaigns: a campaign that runs out of time still reports what it found. */
final class Campaigns {
    private static final Duration POLL = Duration.ofMillis(200);
    static final Clock CLOCK = Clock.systemUTC();

    private Campaigns() {
    }

    /** Polls {@code condition} until it holds or {@code deadline} passes on {@link #CLOCK}; returns whether it held. */
    static boolean awaitUntil(Duration deadline, Callable<Boolean> condition) throws Exception {
        Instant end = CLOCK.instant().plus(deadline);
        while (!condition.call()) {
            if (CLOCK.instant().isAfter(end)) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
