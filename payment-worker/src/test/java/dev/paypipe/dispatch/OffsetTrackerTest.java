package dev.paypipe.dispatch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class OffsetTrackerTest {
    private final OffsetTracker tracker = new OffsetTracker();

    @Test
    void nothingIsCommittableBeforeAnythingFinishes() {
        tracker.track(0);
        tracker.track(1);

        assertThat(tracker.committable()).isEqualTo(-1);
        assertThat(tracker.pending()).isEqualTo(2);
        assertThat(tracker.oldestUnfinished()).isZero();
    }

    @Test
    void commitsOnlyBelowTheOldestUnfinishedOffset() {
        OffsetTracker.Slot s0 = tracker.track(0);
        OffsetTracker.Slot s1 = tracker.track(1);
        OffsetTracker.Slot s2 = tracker.track(2);

        tracker.finish(s1);
        tracker.finish(s2);
        assertThat(tracker.committable()).isEqualTo(-1);
        assertThat(tracker.oldestUnfinished()).isZero();
        assertThat(tracker.pending()).isEqualTo(3);

        tracker.finish(s0);
        assertThat(tracker.committable()).isEqualTo(3);
        assertThat(tracker.pending()).isZero();
        assertThat(tracker.oldestUnfinished()).isEqualTo(-1);
    }

    @Test
    void advancesOverAFinishedPrefixAndStopsAtTheFirstGap() {
        OffsetTracker.Slot s10 = tracker.track(10);
        OffsetTracker.Slot s11 = tracker.track(11);
        tracker.track(12);
        OffsetTracker.Slot s13 = tracker.track(13);

        tracker.finish(s10);
        assertThat(tracker.committable()).isEqualTo(11);
        tracker.finish(s13);
        tracker.finish(s11);
        assertThat(tracker.committable()).isEqualTo(12);
        assertThat(tracker.oldestUnfinished()).isEqualTo(12);
        assertThat(tracker.pending()).isEqualTo(2);
    }

    @Test
    void offsetsMayHaveGaps() {
        // Compacted topics and transaction markers leave holes in the offsets.
        OffsetTracker.Slot a = tracker.track(5);
        OffsetTracker.Slot b = tracker.track(9);
        tracker.finish(b);
        tracker.finish(a);

        assertThat(tracker.committable()).isEqualTo(10);
    }

    @Test
    void finishingTwiceIsHarmless() {
        OffsetTracker.Slot s0 = tracker.track(0);
        OffsetTracker.Slot s1 = tracker.track(1);
        tracker.finish(s0);
        tracker.finish(s0);

        assertThat(tracker.committable()).isEqualTo(1);
        assertThat(tracker.pending()).isEqualTo(1);
        assertThat(s0.isFinished()).isTrue();
        assertThat(s1.isFinished()).isFalse();
        assertThat(s1.offset()).isEqualTo(1);
    }

    @Test
    void rejectsOffsetsThatDoNotIncrease() {
        tracker.track(3);
        assertThatThrownBy(() -> tracker.track(3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 3");
        assertThatThrownBy(() -> tracker.track(2)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectsOffsetsBelowWhatIsAlreadyCommittable() {
        tracker.finish(tracker.track(7));
        assertThat(tracker.committable()).isEqualTo(8);

        assertThatThrownBy(() -> tracker.track(6)).isInstanceOf(IllegalArgumentException.class);
        assertThat(tracker.track(8).offset()).isEqualTo(8);
    }
}
