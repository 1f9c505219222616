package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The timing wheel driven by a fake clock: ticks are called by hand, the real tick task is cancelled. */
class ResponseTimerTest {
    private final AtomicLong clock = new AtomicLong(1_000_000_000L);
    private final List<String> ran = new ArrayList<>();
    private ScheduledExecutorService scheduler;
    private ResponseTimer timer;

    @BeforeEach
    void setUp() {
        scheduler = Executors.newSingleThreadScheduledExecutor();
        timer = new ResponseTimer(scheduler, clock::get);
        timer.close();
    }

    @AfterEach
    void tearDown() {
        scheduler.shutdownNow();
    }

    private void advanceMillis(long millis) {
        clock.addAndGet(TimeUnit.MILLISECONDS.toNanos(millis));
        timer.tick();
    }

    @Test
    void runsEachTaskOnTheFirstTickAtOrAfterItsDeadline() {
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(50), () -> ran.add("50ms"));
        timer.schedule(0, () -> ran.add("now"));
        timer.schedule(TimeUnit.MICROSECONDS.toNanos(1500), () -> ran.add("1.5ms"));

        timer.tick();
        assertThat(ran).containsExactly("now");
        advanceMillis(1);
        assertThat(ran).containsExactly("now");
        advanceMillis(1);
        assertThat(ran).containsExactly("now", "1.5ms");
        advanceMillis(47);
        assertThat(ran).containsExactly("now", "1.5ms");
        advanceMillis(1);
        assertThat(ran).containsExactly("now", "1.5ms", "50ms");
    }

    @Test
    void delaysLongerThanALapWaitExtraLaps() {
        timer.schedule(TimeUnit.SECONDS.toNanos(10), () -> ran.add("10s"));
        timer.tick();
        for (int ms = 1; ms < 10_000; ms++) {
            advanceMillis(1);
        }
        assertThat(ran).isEmpty();
        advanceMillis(1);
        assertThat(ran).containsExactly("10s");
    }

    @Test
    void aStalledTickCatchesUpWithEverythingDue() {
        timer.schedule(TimeUnit.MILLISECONDS.toNanos(5), () -> ran.add("5ms"));
        timer.schedule(TimeUnit.SECONDS.toNanos(3), () -> ran.add("3s"));
        timer.schedule(TimeUnit.SECONDS.toNanos(30), () -> ran.add("30s"));
        timer.tick();

        advanceMillis(12_000); // one tick after a 12 s stall, longer than a lap

        assertThat(ran).containsExactlyInAnyOrder("5ms", "3s");
        advanceMillis(18_000);
        assertThat(ran).contains("30s");
    }
}
