package dev.paypipe.cli.dev.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the highest rate the pipeline sustains end to end (request published → result row written): paces the
 * load at a fixed rate for a step and raises it step by step (× {@value #RAMP_FACTOR}) until a step's lag is no
 * longer bounded, then bisects between the last bounded and the first unbounded rate.
 *
 * <p>A step is bounded when the load published its rate, and the payments not yet written at the end of the step
 * (the trailing) neither exceed what is in the pipe at that rate ({@code rate × (1 s + 2 × gateway latency)}:
 * the calls in flight plus the ledger's and db-writer's batching) nor grew by more than half a second's worth
 * over the second half of the step. After an unbounded step the pipeline drains before the next one.
 */
final class SustainedRateSearch {
    static final double RAMP_FACTOR = 1.6;
    private static final Duration DRAIN_DEADLINE = Duration.ofSeconds(60);

    /** One step: its rate, whether its lag stayed bounded, the rows/s written during it and the trailing. */
    record Step(int rate, boolean bounded, double rowsPerSec, long trailingMid, long trailingEnd) {
    }

    /** The highest bounded rate (0 if none was) and every step on the way. */
    record Result(int sustainedRate, double rowsPerSec, List<Step> steps, boolean reachedMaxRate) {
    }

    private final BenchRig rig;
    private final BenchSizes sizes;
    private final BenchProgress progress;
    private final String name;

    SustainedRateSearch(BenchRig rig, BenchSizes sizes, BenchProgress progress, String name) {
        this.rig = rig;
        this.sizes = sizes;
        this.progress = progress;
        this.name = name;
    }

    /** Payments a search from {@code startRate} may publish at most, for the rig's result watch. */
    static int capacity(BenchSizes sizes) {
        long steps = (long) sizes.maxRate() * (sizes.stepSeconds() * 4L + sizes.bisectSeconds() * sizes.bisections());
        return (int) Math.min(6_000_000, steps + (long) sizes.startRate() * sizes.warmUpSeconds() * 2 + 100_000);
    }

    Result search(int startRate) {
        progress.phase(name + " warm-up " + startRate / 2 + "/s");
        rig.load().run(Math.max(1, startRate / 2), sizes.warmUpSeconds(), () -> true);
        rig.drain(DRAIN_DEADLINE, progress);
        List<Step> steps = new ArrayList<>();
        int pass = 0;
        double passRows = 0;
        int fail = -1;
        for (int rate = startRate; rate <= sizes.maxRate(); rate = (int) Math.ceil(rate * RAMP_FACTOR)) {
            Step s = step(rate, sizes.stepSeconds());
            steps.add(s);
            if (!s.bounded()) {
                fail = rate;
                break;
            }
            pass = rate;
            passRows = s.rowsPerSec();
        }
        boolean reachedMax = fail < 0;
        for (int i = 0; i < sizes.bisections() && fail > 0 && fail - pass > Math.max(50, pass / 50); i++) {
            rig.drain(DRAIN_DEADLINE, progress);
            int mid = (pass + fail) / 2;
            Step s = step(mid, sizes.bisectSeconds());
            steps.add(s);
            if (s.bounded()) {
                pass = mid;
                passRows = s.rowsPerSec();
            } else {
                fail = mid;
            }
        }
        rig.drain(DRAIN_DEADLINE, progress);
        return new Result(pass, passRows, steps, reachedMax);
    }

    private Step step(int rate, int seconds) {
        progress.phase(name + " " + rate + "/s");
        long rows0 = rig.rows();
        long[] trailingMid = {-1};
        long half = System.nanoTime() + seconds * 500_000_000L;
        int published = rig.load().run(rate, seconds, () -> {
            if (trailingMid[0] < 0 && System.nanoTime() >= half) {
                trailingMid[0] = rig.trailing();
                progress.tick();
            }
            return true;
        });
        long trailingEnd = rig.trailing();
        double rowsPerSec = (rig.rows() - rows0) / (double) seconds;
        double inThePipe = rate * (1.0 + 2 * rig.latencyMs() / 1000.0);
        boolean bounded = published >= 0.95 * rate * seconds && trailingEnd <= inThePipe
                && trailingEnd <= Math.max(0, trailingMid[0]) + rate * 0.5;
        return new Step(rate, bounded, rowsPerSec, trailingMid[0], trailingEnd);
    }
}
