package dev.paypipe.cli.dev.bench;

import java.time.Duration;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * The console progress bar of a bench run: planned seconds against elapsed seconds, and the phase running now
 * as its message. A run that takes longer than planned keeps the bar full until it ends.
 */
final class BenchProgress implements AutoCloseable {
    private final ProgressBar bar;
    private final long startNanos = System.nanoTime();
    private final long plannedSeconds;

    BenchProgress(Duration planned) {
        this.plannedSeconds = Math.max(1, planned.toSeconds());
        this.bar = new ProgressBarBuilder().setTaskName("bench").setInitialMax(plannedSeconds)
                .setStyle(ProgressBarStyle.ASCII).setUnit(" s", 1).setUpdateIntervalMillis(500)
                .hideEta().build();
    }

    /** Shows what runs now, e.g. {@code throughput 4096/s}; also advances the bar to the elapsed time. */
    void phase(String message) {
        bar.setExtraMessage(" " + message);
        tick();
    }

    /** Advances the bar to the elapsed time; cheap enough to call from every sampling loop. */
    void tick() {
        long elapsed = (System.nanoTime() - startNanos) / 1_000_000_000L;
        bar.stepTo(Math.min(elapsed, plannedSeconds));
    }

    @Override
    public void close() {
        bar.close();
    }
}
