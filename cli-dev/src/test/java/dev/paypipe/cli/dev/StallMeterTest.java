package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StallMeterTest {
    private static final long S = 1_000_000_000L;
    private final StallMeter meter = new StallMeter();

    @Test
    void measuresTheLongestGapBetweenResultsWhileWorkWaits() {
        meter.sample(0, 10, true, true);
        meter.sample(1 * S, 10, true, true);
        meter.sample(3 * S, 10, true, true);
        meter.sample(4 * S, 11, true, true);
        meter.sample(5 * S, 11, true, true);
        assertThat(meter.maxSeconds()).isEqualTo(3.0);
    }

    @Test
    void timeDuringAnOutageOrWithNothingWaitingIsNotAStall() {
        meter.sample(0, 10, true, true);
        meter.sample(5 * S, 10, true, false);
        meter.sample(10 * S, 10, true, false);
        meter.sample(11 * S, 10, true, true);
        meter.sample(20 * S, 10, false, true);
        meter.sample(21 * S, 10, true, true);
        assertThat(meter.maxSeconds()).isEqualTo(1.0);
    }

    @Test
    void startUpBeforeTheFirstResultIsNotAStall() {
        meter.sample(0, 0, true, true);
        meter.sample(4 * S, 0, true, true);
        meter.sample(5 * S, 1, true, true);
        meter.sample(6 * S, 1, true, true);
        assertThat(meter.maxSeconds()).isEqualTo(1.0);
    }
}
