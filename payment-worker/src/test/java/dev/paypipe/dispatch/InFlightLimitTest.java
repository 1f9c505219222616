package dev.paypipe.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.dispatch.InFlightLimit.Mode;
import dev.paypipe.testing.MutableClock;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class InFlightLimitTest {
    private final MutableClock clock = MutableClock.atDefaultStart();
    /** max 100, 5 probes: the ramp starts at max(probes, max/20) = 5. */
    private final InFlightLimit limit = new InFlightLimit(100, 5, Duration.ofSeconds(10), clock);

    @Test
    void startsClosedAtFullStrength() {
        assertThat(limit.mode()).isEqualTo(Mode.CLOSED);
        assertThat(limit.current()).isEqualTo(100);
        assertThat(limit.max()).isEqualTo(100);
    }

    @Test
    void openAllowsNoCalls() {
        limit.onMode(Mode.OPEN);

        assertThat(limit.current()).isZero();
        clock.advance(Duration.ofMinutes(5));
        assertThat(limit.current()).isZero();
    }

    @Test
    void halfOpenAllowsOnlyTheProbes() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.HALF_OPEN);

        assertThat(limit.current()).isEqualTo(5);
    }

    @Test
    void probesAreAtLeastOneAndAtMostMax() {
        InFlightLimit none = new InFlightLimit(10, 0, Duration.ofSeconds(1), clock);
        none.onMode(Mode.HALF_OPEN);
        assertThat(none.current()).isEqualTo(1);

        InFlightLimit many = new InFlightLimit(3, 50, Duration.ofSeconds(1), clock);
        many.onMode(Mode.HALF_OPEN);
        assertThat(many.current()).isEqualTo(3);
    }

    @Test
    void closingRampsLinearlyFromTheFloorToMaxOverTheRampPeriod() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.HALF_OPEN);
        clock.advance(Duration.ofSeconds(1));
        limit.onMode(Mode.CLOSED);

        assertThat(limit.current()).isEqualTo(5);
        clock.advance(Duration.ofMillis(2_500));
        assertThat(limit.current()).isEqualTo(5 + 95 / 4); // 28
        clock.advance(Duration.ofMillis(2_500));
        assertThat(limit.current()).isEqualTo(5 + 95 / 2); // 52
        clock.advance(Duration.ofMillis(4_999));
        assertThat(limit.current()).isEqualTo(99);
        clock.advance(Duration.ofMillis(1));
        assertThat(limit.current()).isEqualTo(100);
        clock.advance(Duration.ofHours(1));
        assertThat(limit.current()).isEqualTo(100);
    }

    @Test
    void theRampNeverDecreasesAsTimePasses() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.CLOSED);
        int previous = limit.current();
        for (int i = 0; i < 120; i++) {
            clock.advance(Duration.ofMillis(100));
            int now = limit.current();
            assertThat(now).isGreaterThanOrEqualTo(previous).isBetween(5, 100);
            previous = now;
        }
        assertThat(previous).isEqualTo(100);
    }

    @Test
    void stayingClosedDoesNotRestartTheRamp() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.CLOSED);
        clock.advance(Duration.ofSeconds(10));
        assertThat(limit.current()).isEqualTo(100);

        limit.onMode(Mode.CLOSED);
        assertThat(limit.current()).isEqualTo(100);
    }

    @Test
    void reopeningDuringTheRampStopsCallsAndTheNextCloseRampsAgain() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.CLOSED);
        clock.advance(Duration.ofSeconds(5));
        assertThat(limit.current()).isEqualTo(52);

        limit.onMode(Mode.OPEN);
        assertThat(limit.current()).isZero();
        clock.advance(Duration.ofSeconds(30));
        limit.onMode(Mode.CLOSED);
        assertThat(limit.current()).isEqualTo(5);
    }

    @Test
    void floorIsFivePercentOfMaxWhenThatExceedsTheProbes() {
        InFlightLimit big = new InFlightLimit(1000, 5, Duration.ofSeconds(10), clock);
        big.onMode(Mode.OPEN);
        big.onMode(Mode.CLOSED);

        assertThat(big.current()).isEqualTo(50);
    }

    @Test
    void zeroRampPeriodRestoresFullStrengthAtOnce() {
        InFlightLimit noRamp = new InFlightLimit(100, 5, Duration.ZERO, clock);
        noRamp.onMode(Mode.OPEN);
        noRamp.onMode(Mode.CLOSED);

        assertThat(noRamp.current()).isEqualTo(100);
    }

    @Test
    void aClockThatStepsBackHoldsTheFloor() {
        limit.onMode(Mode.OPEN);
        limit.onMode(Mode.CLOSED);
        clock.advance(Duration.ofSeconds(-30));

        assertThat(limit.current()).isEqualTo(5);
    }

    @Test
    void rejectsAMaxBelowOne() {
        assertThatThrownBy(() -> new InFlightLimit(0, 5, Duration.ofSeconds(1), clock))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("worker.max-in-flight must be >= 1, was 0");
    }
}
