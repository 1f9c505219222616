package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** When the ledger asks for a commit before its commit interval: once per minimum interval, while records are young. */
class CommitPacerTest {
    private static final long T0 = 1_800_000_000_000L;

    private final LedgerMetrics metrics = new LedgerMetrics(new SimpleMeterRegistry());
    private final CommitPacer pacer = new CommitPacer(Duration.ofMillis(20), Duration.ofMillis(100), metrics);

    @Test
    void theFirstYoungRecordAsksAtOnce() {
        assertThat(pacer.commitNow(T0 - 30, T0)).isTrue();
        assertThat(metrics.earlyCommits()).isEqualTo(1);
    }

    @Test
    void asksAtMostOncePerMinimumInterval() {
        assertThat(pacer.commitNow(T0, T0)).isTrue();
        assertThat(pacer.commitNow(T0 + 5, T0 + 5)).isFalse();
        assertThat(pacer.commitNow(T0 + 19, T0 + 19)).isFalse();

        assertThat(pacer.commitNow(T0 + 20, T0 + 20)).isTrue();
        assertThat(metrics.earlyCommits()).isEqualTo(2);
    }

    @Test
    void oneOldRecordSinceTheLastDecisionMeansBehind() {
        assertThat(pacer.commitNow(T0, T0)).isTrue();
        pacer.commitNow(T0 - 95, T0 + 6); // 101 ms old: a backlog, leave it to the commit interval

        assertThat(pacer.commitNow(T0 + 20, T0 + 20)).isFalse();
        assertThat(metrics.earlyCommits()).isEqualTo(1);
    }

    @Test
    void anOldRecordCountsOnlyUntilTheNextDecision() {
        assertThat(pacer.commitNow(T0 - 500, T0)).isFalse();

        assertThat(pacer.commitNow(T0 + 15, T0 + 20)).isTrue(); // the old record belonged to the decision before
    }

    @Test
    void theDecidingRecordCountsToo() {
        assertThat(pacer.commitNow(T0 - 101, T0)).isFalse();
        assertThat(pacer.commitNow(T0 - 100, T0 + 20)).isFalse(); // 120 ms old
    }

    @Test
    void aTimestampAheadOfTheClockCountsAsNew() {
        assertThat(pacer.commitNow(T0 + 5_000, T0)).isTrue(); // a producer whose clock runs ahead
    }

    @Test
    void aClockSetBackDecidesAnew() {
        assertThat(pacer.commitNow(T0, T0)).isTrue();

        assertThat(pacer.commitNow(T0 - 9_000, T0 - 9_000)).isTrue();
    }

    @Test
    void eachStreamThreadHasItsOwnWindow() throws InterruptedException {
        assertThat(pacer.commitNow(T0, T0)).isTrue();
        boolean[] other = new boolean[1];
        Thread t = new Thread(() -> other[0] = pacer.commitNow(T0 + 1, T0 + 1));
        t.start();
        t.join();

        assertThat(other[0]).as("a second stream thread's transaction needs its own request").isTrue();
        assertThat(pacer.commitNow(T0 + 2, T0 + 2)).isFalse();
    }

    @Test
    void aMinimumIntervalEqualToTheCommitIntervalNeverAsks() {
        CommitPacer off = new CommitPacer(Duration.ofMillis(100), Duration.ofMillis(100), metrics);

        assertThat(off.commitNow(T0, T0)).isFalse();
        assertThat(off.commitNow(T0 + 200, T0 + 200)).isFalse();
        assertThat(metrics.earlyCommits()).isZero();
    }
}
