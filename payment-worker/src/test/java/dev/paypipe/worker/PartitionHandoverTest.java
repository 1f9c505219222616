package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.dispatch.OffsetTracker;
import dev.paypipe.testing.MutableClock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.clients.consumer.MockConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.junit.jupiter.api.Test;

class PartitionHandoverTest {
    private static final TopicPartition P0 = new TopicPartition("payment-requests", 0);
    private static final TopicPartition P1 = new TopicPartition("payment-requests", 1);
    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    private final MutableClock clock = MutableClock.atDefaultStart();
    private final Map<TopicPartition, Long> commits = new HashMap<>();
    /** Commits a rebalance in progress refuses before they go through. */
    private final AtomicInteger refusedCommits = new AtomicInteger();
    private final MockConsumer<String, byte[]> consumer = new MockConsumer<>("earliest") {
        @Override
        public synchronized void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets) {
            if (refusedCommits.getAndUpdate(n -> Math.max(0, n - 1)) > 0) {
                clock.advance(Duration.ofMillis(100));
                throw new RebalanceInProgressException("a member is joining");
            }
            offsets.forEach((tp, o) -> commits.put(tp, o.offset()));
            super.commitSync(offsets);
        }
    };
    private final AssignedPartitions partitions = new AssignedPartitions(consumer, Map.of(), Duration.ofMillis(100),
            clock);
    private final AtomicBoolean fetchingStopped = new AtomicBoolean();
    private final AtomicInteger flushes = new AtomicInteger();
    private final List<Long> pumpWaits = new ArrayList<>();
    /** What each pump turn does: by default the time passes and nothing finishes. */
    private Runnable onPump = () -> clock.advance(Duration.ofMillis(10));
    private final PartitionHandover handover = new PartitionHandover(partitions, consumer, fetchingStopped::get,
            flushes::incrementAndGet, wait -> {
                pumpWaits.add(wait);
                onPump.run();
            }, TIMEOUT, clock);

    PartitionHandoverTest() {
        consumer.assign(List.of(P0, P1));
        handover.onPartitionsAssigned(List.of(P0, P1));
    }

    /** Tracks offsets 0..n-1 of {@code ps}, all in flight; returns their slots. */
    private static List<OffsetTracker.Slot> inFlight(PartitionState ps, int n) {
        List<OffsetTracker.Slot> slots = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            slots.add(ps.offsets.track(i));
            ps.active++;
        }
        return slots;
    }

    @Test
    void revocationWaitsForCallsInFlightThenCommitsWhatFinishedAndForgetsThePartition() {
        PartitionState ps = partitions.get(P0);
        List<OffsetTracker.Slot> slots = inFlight(ps, 2);
        AtomicInteger turns = new AtomicInteger();
        onPump = () -> {
            clock.advance(Duration.ofMillis(10));
            if (turns.incrementAndGet() <= 2) { // one answer acknowledged per turn
                ps.offsets.finish(slots.get(turns.get() - 1));
                ps.active--;
            }
        };

        handover.onPartitionsRevoked(List.of(P0));

        assertThat(turns.get()).isEqualTo(2);
        assertThat(commits).containsEntry(P0, 2L).doesNotContainKey(P1);
        assertThat(ps.draining).isTrue();
        assertThat(ps.revoked).isTrue();
        assertThat(partitions.get(P0)).isNull();
        assertThat(flushes.get()).as("buffered outputs are flushed before waiting").isEqualTo(1);
    }

    @Test
    void aDrainGivesUpAtTheShutdownTimeoutOnTheInjectedClockAndCommitsBelowTheStuckRecord() {
        PartitionState ps = partitions.get(P0);
        List<OffsetTracker.Slot> slots = inFlight(ps, 3);
        ps.offsets.finish(slots.get(0));
        ps.active--;
        long start = clock.millis();

        handover.drainAndCommit(List.of(ps));

        assertThat(clock.millis() - start).isEqualTo(TIMEOUT.toMillis());
        assertThat(pumpWaits).hasSize((int) (TIMEOUT.toMillis() / 10)).allSatisfy(w -> assertThat(w).isEqualTo(10L));
        assertThat(commits).containsEntry(P0, 1L);
    }

    @Test
    void aPartitionWithNothingInFlightIsCommittedWithoutWaiting() {
        PartitionState ps = partitions.get(P1);
        ps.offsets.finish(ps.offsets.track(0));

        handover.drainAndCommit(List.of(ps));

        assertThat(pumpWaits).isEmpty();
        assertThat(commits).containsEntry(P1, 1L);
    }

    @Test
    void partitionsAssignedWhileFetchingIsStoppedArePausedBeforeTheirFirstFetch() {
        TopicPartition p2 = new TopicPartition("payment-requests", 2);
        consumer.assign(List.of(P0, P1, p2));
        fetchingStopped.set(true);

        handover.onPartitionsAssigned(List.of(p2));

        assertThat(consumer.paused()).containsExactly(p2);
        assertThat(partitions.get(p2)).isNotNull();
    }

    @Test
    void partitionsAssignedWhileFetchingFlowAreNotPaused() {
        TopicPartition p2 = new TopicPartition("payment-requests", 2);
        consumer.assign(List.of(P0, P1, p2));

        handover.onPartitionsAssigned(List.of(p2));

        assertThat(consumer.paused()).isEmpty();
    }

    @Test
    void lostPartitionsAreForgottenWithoutDrainingOrCommitting() {
        PartitionState ps = partitions.get(P0);
        inFlight(ps, 1);

        handover.onPartitionsLost(List.of(P0));

        assertThat(ps.revoked).isTrue();
        assertThat(partitions.get(P0)).isNull();
        assertThat(pumpWaits).isEmpty();
        assertThat(commits).isEmpty();
    }

    @Test
    void aShutdownDuringARebalanceCommitsOnceTheRebalanceIsDone() {
        PartitionState ps = partitions.get(P0);
        ps.offsets.finish(ps.offsets.track(0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        refusedCommits.set(2);

        handover.shutdown();

        assertThat(commits).containsEntry(P0, 1L);
        assertThat(refusedCommits.get()).isZero();
        assertThat(consumer.paused()).contains(P0, P1);
    }

    @Test
    void aShutdownGivesUpCommittingAfterTheTimeout() {
        PartitionState ps = partitions.get(P0);
        ps.offsets.finish(ps.offsets.track(0));
        consumer.updateBeginningOffsets(Map.of(P0, 0L, P1, 0L));
        refusedCommits.set(Integer.MAX_VALUE);

        handover.shutdown();

        assertThat(commits).isEmpty();
        assertThat(clock.instant()).isAfterOrEqualTo(MutableClock.atDefaultStart().instant().plus(TIMEOUT));
    }
}
