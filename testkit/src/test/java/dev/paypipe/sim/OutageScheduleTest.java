package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Outage windows on a hand-moved nanosecond clock. */
class OutageScheduleTest {
    private final AtomicLong nanos = new AtomicLong(-5_000_000_000L); // negative on purpose: only differences count
    private final OutageSchedule schedule = new OutageSchedule(nanos::get);

    private void advance(Duration by) {
        nanos.addAndGet(by.toNanos());
    }

    @Test
    void scriptedWindowsUseTheirOwnModeOrTheConfigs() {
        SimulatorConfig config = SimulatorConfig.builder().outageMode(OutageMode.TIMEOUT)
                .outage(Duration.ofSeconds(1), Duration.ofSeconds(2))
                .outage(Duration.ofSeconds(5), Duration.ofSeconds(1), OutageMode.HANG).build();

        assertThat(schedule.current(config)).isNull();
        advance(Duration.ofSeconds(1));
        assertThat(schedule.current(config).mode()).isEqualTo(OutageMode.TIMEOUT);
        advance(Duration.ofSeconds(2));
        assertThat(schedule.current(config)).isNull();
        advance(Duration.ofSeconds(2));
        OutageSchedule.Active hang = schedule.current(config);
        assertThat(hang.mode()).isEqualTo(OutageMode.HANG);
        assertThat(hang.endNanos() - nanos.get()).isEqualTo(Duration.ofSeconds(1).toNanos());
    }

    @Test
    void scheduledWindowsAreRelativeToTheCallAndEndOutageSparesLaterOnes() {
        SimulatorConfig config = SimulatorConfig.defaults();
        advance(Duration.ofMinutes(1));
        schedule.schedule(FaultMix.hostileOutages(Duration.ofSeconds(1), Duration.ofSeconds(4)));

        assertThat(schedule.current(config)).isNull();
        advance(Duration.ofSeconds(1));
        assertThat(schedule.current(config).mode()).isEqualTo(OutageMode.UNAVAILABLE);
        schedule.end(config);
        assertThat(schedule.current(config)).as("ended early").isNull();
        advance(Duration.ofSeconds(19));
        assertThat(schedule.current(config).mode()).isEqualTo(OutageMode.HANG);
        advance(Duration.ofSeconds(10));
        assertThat(schedule.current(config)).isNull();
    }

    @Test
    void overlappingOutagesAreDecidedByTheOneEndingLast() {
        SimulatorConfig config = SimulatorConfig.defaults();
        schedule.begin(Duration.ofSeconds(10), OutageMode.HANG);
        schedule.begin(Duration.ofSeconds(3), null);

        assertThat(schedule.current(config).mode()).isEqualTo(OutageMode.HANG);
        schedule.schedule(List.of(new OutageWindow(Duration.ZERO, Duration.ofSeconds(20), OutageMode.TIMEOUT)));
        assertThat(schedule.current(config).mode()).isEqualTo(OutageMode.TIMEOUT);
        advance(Duration.ofSeconds(20));
        assertThat(schedule.active(config)).isFalse();
    }
}
