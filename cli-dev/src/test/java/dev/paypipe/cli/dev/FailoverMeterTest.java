package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FailoverMeterTest {
    private static final long S = 1_000_000_000L;
    private final FailoverMeter meter = new FailoverMeter(4);

    /** Payment ids that land in {@code partition}, found by the meter's own partitioner. */
    private List<String> idsIn(int partition, int count) {
        List<String> ids = new ArrayList<>();
        for (int i = 0; ids.size() < count; i++) {
            if (meter.partitionOf("p-" + i) == partition) {
                ids.add("p-" + i);
            }
        }
        return ids;
    }

    @Test
    void aPartitionWhoseOwnerDiedStallsUntilItsNextResult() {
        List<String> zero = idsIn(0, 3);
        List<String> one = idsIn(1, 2);
        meter.published(zero.get(0), 0);
        meter.published(one.get(0), 0);
        meter.resulted(one.get(0), S / 10);
        meter.resulted(zero.get(0), S / 10);
        // partition 0's owner is killed: its next payment waits 7 s while partition 1 keeps flowing
        meter.published(zero.get(1), 1 * S);
        meter.published(one.get(1), 1 * S);
        meter.resulted(one.get(1), 1 * S + S / 10);
        meter.sample(5 * S);
        meter.resulted(zero.get(1), 8 * S);
        assertThat(meter.maxStallSeconds()).isEqualTo(7.0);
        assertThat(meter.maxStallPartition()).isZero();
        assertThat(meter.pending()).isZero();
    }

    @Test
    void aPartitionWithNothingOutstandingIsNotStalled() {
        String id = idsIn(2, 1).get(0);
        meter.published(id, 0);
        meter.resulted(id, S / 2);
        meter.sample(60 * S);
        assertThat(meter.maxStallSeconds()).isEqualTo(0.5);
    }

    @Test
    void aStallStillOpenCountsWhenSampled() {
        String id = idsIn(3, 1).get(0);
        meter.published(id, 2 * S);
        meter.published(id, 3 * S); // a duplicate publication does not restart the clock
        meter.sample(12 * S);
        assertThat(meter.maxStallSeconds()).isEqualTo(10.0);
        assertThat(meter.pending()).isEqualTo(1);
    }

    @Test
    void resultsKeepAPartitionMovingWhileOlderPaymentsWait() {
        List<String> ids = idsIn(0, 3);
        meter.published(ids.get(0), 0);
        meter.published(ids.get(1), 0);
        meter.published(ids.get(2), 0);
        meter.resulted(ids.get(1), 1 * S);
        meter.resulted(ids.get(2), 2 * S);
        meter.resulted(ids.get(0), 3 * S);
        assertThat(meter.maxStallSeconds()).isEqualTo(1.0);
    }

    @Test
    void aWarmUpStallIsForgottenWhenMeasuringStarts() {
        String id = idsIn(1, 1).get(0);
        meter.published(id, 0);
        meter.sample(5 * S);
        meter.startMeasuring(5 * S);
        meter.resulted(id, 6 * S);
        assertThat(meter.maxStallSeconds()).isEqualTo(1.0);
    }

    @Test
    void aPartitionIsOwnerlessFromTheFirstSampleWithoutALiveOwnerUntilOneTakesIt() {
        String waiting = idsIn(0, 1).get(0);
        meter.published(waiting, 0);
        meter.owners(java.util.Set.of(0, 1, 2, 3), 1 * S);
        meter.owners(java.util.Set.of(1, 3), 2 * S); // the owner of 0 and 2 died; 2 has nothing waiting
        meter.owners(java.util.Set.of(1, 3), 7 * S);
        meter.owners(java.util.Set.of(0, 1, 2, 3), 8 * S);
        meter.owners(java.util.Set.of(1, 2, 3), 20 * S); // 0 unowned again, but nothing waits... yet
        meter.resulted(waiting, 20 * S);
        meter.owners(java.util.Set.of(1, 2, 3), 30 * S);

        assertThat(meter.maxOwnerlessSeconds()).isEqualTo(5.0);
        assertThat(meter.maxOwnerlessPartition()).isZero();
    }
}
