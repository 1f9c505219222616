package dev.paypipe.cli.dev;

import dev.paypipe.model.PaymentStatus;
import java.io.PrintStream;
import java.util.Locale;
import java.util.StringJoiner;
import me.tongfei.progressbar.InteractiveConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;

/**
 * What the demo shows while it runs, fed one {@link RunTimeline.Sample} a second: on a terminal two live progress
 * bars ({@link #terminal}), elsewhere one plain line per sample ({@link #plain}) so logs and CI output stay readable.
 */
interface LiveView extends AutoCloseable {

    /** The pipeline's state at one sample. */
    void update(RunTimeline.Sample sample);

    /** Something that happened (the outage began); a terminal shows it in the bars, plain output prints it. */
    void note(String event);

    /** Ends the live display; what is printed afterwards starts on a fresh line. */
    @Override
    void close();

    /** The view for this process: bars when {@link System#console()} says stdout is a terminal, else plain lines. */
    static LiveView forConsole(PrintStream out, int payments, int dbPoolCap) {
        return System.console() != null ? terminal(out, payments, dbPoolCap) : plain(out);
    }

    static LiveView plain(PrintStream out) {
        return new PlainLines(out);
    }

    static LiveView terminal(PrintStream out, int payments, int dbPoolCap) {
        return new ProgressBars(out, payments, dbPoolCap);
    }

    /** {@code APPROVED 812 DECLINED 90 ...}: first results per status, every status shown. */
    static String statuses(RunTimeline.Sample s) {
        StringJoiner j = new StringJoiner(" ");
        for (PaymentStatus status : PaymentStatus.values()) {
            j.add(status.name() + " " + s.byStatus().getOrDefault(status, 0L));
        }
        return j.toString();
    }

    /** {@code 250ms:3 1s:0 5s:0}: records waiting per retry tier; {@code ?} when the broker did not answer. */
    static String retryBacklog(RunTimeline.Sample s) {
        StringJoiner j = new StringJoiner(" ");
        s.retryBacklog().forEach((tier, n) -> j.add(tier + ":" + (n < 0 ? "?" : n.toString())));
        return j.toString();
    }

    /** One line per sample, for output that is not a terminal. */
    final class PlainLines implements LiveView {
        private final PrintStream out;

        PlainLines(PrintStream out) {
            this.out = out;
        }

        @Override
        public void update(RunTimeline.Sample s) {
            out.printf(Locale.ROOT, "  %5.1f s  published %d  results %d (%s)  %.0f/s  in flight %d  breaker %s%s%s"
                    + "  retry backlog %s  db connections %d  db rows %d%n", s.seconds(), s.published(), s.results(),
                    statuses(s), s.throughput(), s.inFlight(), s.breaker(), s.paused() ? "  PAUSED" : "",
                    s.outage() ? "  GATEWAY DOWN" : "", retryBacklog(s), s.dbConnections(), s.dbRows());
        }

        @Override
        public void note(String event) {
            out.println("  " + event);
        }

        @Override
        public void close() {
            out.flush();
        }
    }

    /**
     * Two bars (me.tongfei:progressbar, redrawn in place through JLine): payments with a result out of all, with the
     * counts by status and the throughput; db-writer connections out of the cap, with calls in flight, breaker,
     * pause, gateway and the retry backlog by tier.
     */
    final class ProgressBars implements LiveView {
        private final ProgressBar payments;
        private final ProgressBar pipeline;
        private String lastEvent = "";

        ProgressBars(PrintStream out, int payments, int dbPoolCap) {
            this.payments = new ProgressBarBuilder().setTaskName("payments").setInitialMax(payments)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250)
                    .setConsumer(new InteractiveConsoleProgressBarConsumer(out)).build();
            this.pipeline = new ProgressBarBuilder().setTaskName("db conns").setInitialMax(dbPoolCap)
                    .setStyle(ProgressBarStyle.COLORFUL_UNICODE_BLOCK).setUpdateIntervalMillis(250).hideEta()
                    .setConsumer(new InteractiveConsoleProgressBarConsumer(out)).build();
        }

        @Override
        public void update(RunTimeline.Sample s) {
            payments.stepTo(s.results());
            payments.setExtraMessage(String.format(Locale.ROOT, "%s  %.0f/s", statuses(s), s.throughput()));
            pipeline.stepTo(s.dbConnections());
            pipeline.setExtraMessage(String.format(Locale.ROOT, "in flight %d  breaker %s  %s  gateway %s  retry %s%s",
                    s.inFlight(), s.breaker(), s.paused() ? "PAUSED" : "running", s.outage() ? "DOWN" : "up",
                    retryBacklog(s), lastEvent.isEmpty() ? "" : "  (" + lastEvent + ")"));
        }

        @Override
        public void note(String event) {
            lastEvent = event;
        }

        @Override
        public void close() {
            payments.close();
            pipeline.close();
        }
    }
}
