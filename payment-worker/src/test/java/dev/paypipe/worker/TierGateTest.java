package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.testing.MutableClock;
import java.time.Duration;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

class TierGateTest {
    private static final long TIER_MILLIS = 5_000;

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final TierGate gate = new TierGate(clock);
    private final PartitionState ps = new PartitionState(new TopicPartition("payment-requests-retry-5s", 0), TIER_MILLIS);

    @Test
    void aRecordWhoseDueTimeHasComeRuns() {
        assertThat(gate.check(ps, 0, clock.millis())).isEqualTo(TierGate.Verdict.RUN);
        assertThat(gate.check(ps, 1, clock.millis() - 1)).isEqualTo(TierGate.Verdict.RUN);
        assertThat(ps.waitingUntil).isZero();
    }

    @Test
    void aHeadNotYetDueHoldsThePartitionUntilItsDueTime() {
        long due = clock.millis() + 3_000;

        assertThat(gate.check(ps, 7, due)).isEqualTo(TierGate.Verdict.HOLD);
        assertThat(ps.waitingUntil).isEqualTo(due);

        clock.advance(Duration.ofMillis(3_000));
        assertThat(gate.check(ps, 7, due)).isEqualTo(TierGate.Verdict.RUN);
    }

    @Test
    void aHeadDueLaterThanItsTierHoldsForOneTierDelayOnly() {
        long start = clock.millis();

        assertThat(gate.check(ps, 7, start + Duration.ofHours(1).toMillis())).isEqualTo(TierGate.Verdict.HOLD);
        assertThat(ps.waitingUntil).isEqualTo(start + TIER_MILLIS);
    }

    @Test
    void aHeadSeenAgainKeepsItsFirstHoldSoTheWaitIsNotExtended() {
        long start = clock.millis();
        long due = start + Duration.ofHours(1).toMillis();
        gate.check(ps, 7, due);

        clock.advance(Duration.ofMillis(2_000)); // re-polled after a rebalance or an early resume
        assertThat(gate.check(ps, 7, due)).isEqualTo(TierGate.Verdict.HOLD);
        assertThat(ps.waitingUntil).as("still one tier delay from the first hold").isEqualTo(start + TIER_MILLIS);
    }

    @Test
    void aHeadStillNotDueAfterAFullTierDelayGoesToTheBack() {
        long due = clock.millis() + Duration.ofHours(1).toMillis();
        gate.check(ps, 7, due);

        clock.advance(Duration.ofMillis(TIER_MILLIS - 1));
        assertThat(gate.check(ps, 7, due)).isEqualTo(TierGate.Verdict.HOLD);
        clock.advance(Duration.ofMillis(1));
        assertThat(gate.check(ps, 7, due)).isEqualTo(TierGate.Verdict.SEND_TO_BACK);
    }

    @Test
    void aNewHeadStartsItsOwnHold() {
        long due = clock.millis() + Duration.ofHours(1).toMillis();
        gate.check(ps, 7, due);
        clock.advance(Duration.ofMillis(TIER_MILLIS));

        assertThat(gate.check(ps, 8, due)).as("the next record is held afresh, not sent to the back")
                .isEqualTo(TierGate.Verdict.HOLD);
        assertThat(ps.waitingUntil).isEqualTo(clock.millis() + TIER_MILLIS);
    }
}
