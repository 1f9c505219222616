package dev.paypipe.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.LatencyModel;
import dev.paypipe.sim.OutageMode;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.worker.PaymentWorker;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.HdrHistogram.Histogram;

/**
 * The demo: the whole pipeline in one process ({@link PipelineRig}). Publishes payments, starts the gateway outage
 * halfway through the gateway's work, waits for a final database row for each payment while a {@link LiveView}
 * shows the pipeline once a second (the same samples make the {@link RunTimeline} of the HTML report), and reports.
 */
final class Demo {
    /**
     * @param faultMix the simulator's named fault mix
     * @param faultRate the mix's charge faults scaled to this share; negative = the mix's own rate
     * @param outageMode how the gateway behaves during the {@code outageSeconds} outage
     * @param scenario the scenario the figures came from, for the report
     * @param gatewayLatencyP99Ms log-normal latency with {@code gatewayLatencyMs} as median and this p99; 0 = fixed
     * @param timeoutAfterChargeRate share of charge calls that charge, then time out (on top of the mix)
     * @param reportHtml where to write the HTML report; null = none
     */
    record Options(int payments, int rate, long gatewayLatencyMs, FaultMix faultMix, double faultRate,
            double declineRate, int outageSeconds, OutageMode outageMode, int dbConsumers, int partitions,
            int maxInFlight, int timeoutSeconds, Path reportJson, double duplicateRate, double conflictRate,
            boolean ledger, String scenario, long gatewayLatencyP99Ms, double timeoutAfterChargeRate,
            Path reportHtml) {
    }

    private static final long SAMPLE_NANOS = TimeUnit.SECONDS.toNanos(1);

    private final Options o;
    private final PrintStream out;
    private final Supplier<LiveView> live;
    /** Workers as child processes, killed or restarted on a schedule; null: one worker in this process. */
    private DemoFailover failover;

    /** A demo that prints plain progress lines to {@code out}. */
    Demo(Options options, PrintStream out) {
        this(options, out, () -> LiveView.plain(out));
    }

    /** @param live opens the live view when the payments start (a progress bar's clock starts with it) */
    Demo(Options options, PrintStream out, Supplier<LiveView> live) {
        this.o = options;
        this.out = out;
        this.live = live;
    }

    /** Runs the workers as child processes and disrupts them as {@code plan} says (the fail-over measurement). */
    Demo withFailover(DemoFailover plan) {
        this.failover = plan;
        return this;
    }

    int run() throws Exception {
        out.println("paypipe demo: " + describe());
        PipelineRig.Settings settings = PipelineRig.Settings.demo(o.payments, o.partitions, simulatorConfig(),
                o.maxInFlight, o.dbConsumers, o.ledger, o.gatewayLatencyMs).withWorkerInProcess(failover == null);
        try (PipelineRig rig = PipelineRig.start(settings); DemoFailover fleet = failover) {
            if (fleet != null) {
                fleet.start(rig.workerConfig(), rig.watch(), o.partitions);
            }
            out.printf("  infrastructure ready in %d ms: %s, %s%n", rig.infrastructureMillis(), rig.kafka().describe(),
                    rig.postgres().describe());
            GatewaySimulator sim = rig.simulator();
            ResultWatch watch = rig.watch();

            long start = System.currentTimeMillis();
            long startNanos = System.nanoTime();
            DemoPublisher load = new DemoPublisher(rig.publisher(), new PaymentFactory("demo"), watch, o.payments,
                    o.rate, o.duplicateRate, o.conflictRate, TimeUnit.SECONDS.toNanos(o.timeoutSeconds));
            Thread producer = new Thread(load, "demo-publisher");
            producer.start();

            long deadline = startNanos + TimeUnit.SECONDS.toNanos(o.timeoutSeconds + o.outageSeconds);
            RunTimeline timeline = new RunTimeline(o.payments, o.dbConsumers);
            StallMeter stalls = new StallMeter();
            boolean outageStarted = o.outageSeconds == 0;
            long nextSample = startNanos + SAMPLE_NANOS;
            try (LiveView view = live.get()) {
                while (System.nanoTime() < deadline) {
                    long rows = rig.rowCount();
                    // Halfway through the gateway's work, not the results': results trail the gateway by the
                    // ledger's and the db-writer's batching, and a fast run would be over before the outage.
                    if (!outageStarted && sim.stats().chargeCalls() >= o.payments / 2) {
                        sim.beginOutage(Duration.ofSeconds(o.outageSeconds), o.outageMode);
                        outageStarted = true;
                        view.note(String.format("gateway outage began at %.0f s (%d s)",
                                (System.nanoTime() - startNanos) / 1e9, o.outageSeconds));
                    }
                    stalls.sample(System.nanoTime(), watch.resultsRead(), rig.holdsWork(), !sim.inOutage());
                    boolean done = rows >= o.payments;
                    if (System.nanoTime() >= nextSample || done) {
                        nextSample += SAMPLE_NANOS;
                        RunTimeline.Sample sample = sample(rig, load, timeline, startNanos, rows);
                        timeline.add(sample);
                        view.update(sample);
                    }
                    if (done) {
                        break;
                    }
                    // Display, stall and outage-trigger sampling cadence: a burst needs the trigger sharp.
                    Thread.sleep(outageStarted || o.rate > 0 ? 100 : 5);
                }
            }
            producer.join(TimeUnit.SECONDS.toMillis(o.timeoutSeconds));
            if (fleet != null) {
                fleet.stopDisruptions();
            }

            DemoReport report = new DemoReport(o.payments, o.dbConsumers);
            report.put("scenario", o.scenario);
            report.database(rig.db(), start);
            report.gateway(sim, load);
            report.pipeline(rig.worker(), rig.sampler(), watch, load, stalls);
            report.put("ledger", o.ledger);
            if (rig.ledger() != null) {
                report.put("duplicatesDropped", rig.ledger().duplicatesDropped());
                report.put("conflictsRefused", rig.ledger().conflictsRefused());
            }
            if (fleet != null) {
                fleet.report(report, sim);
            }
            report.print(out);
            if (o.reportJson != null) {
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(createParent(o.reportJson).toFile(), report.values());
                out.println("  report written to " + o.reportJson);
            }
            if (o.reportHtml != null) {
                new HtmlReport(describe(), timeline, report).write(createParent(o.reportHtml));
                out.println("  HTML report written to " + o.reportHtml);
            }
            return report.ok() ? 0 : 1;
        }
    }

    private String describe() {
        return String.format(Locale.ROOT, "scenario %s, %d payments, rate %s, gateway latency %s, fault mix %s%s%s, "
                + "declines %.2f, outage %d s (%s), duplicates %.2f, conflicts %.2f, ledger %s, db-writer consumers %d",
                o.scenario, o.payments, o.rate == 0 ? "max" : o.rate + "/s",
                o.gatewayLatencyP99Ms > 0 ? "log-normal median " + o.gatewayLatencyMs + " ms, p99 " + o.gatewayLatencyP99Ms
                        + " ms" : o.gatewayLatencyMs + " ms",
                o.faultMix.cliName(), o.faultRate >= 0 ? String.format(Locale.ROOT, " at %.2f", o.faultRate) : "",
                o.timeoutAfterChargeRate > 0 ? String.format(Locale.ROOT, " + timeouts after charging %.3f",
                        o.timeoutAfterChargeRate) : "",
                o.declineRate, o.outageSeconds, o.outageMode.name().toLowerCase(Locale.ROOT), o.duplicateRate,
                o.conflictRate, o.ledger ? "on" : "off", o.dbConsumers);
    }

    /**
     * The scenario's gateway. One that times out (or holds a charge in progress) gives up after 5 s, as real ones do
     * well within a minute; the worker's own call deadline cuts every call before that.
     */
    private SimulatorConfig simulatorConfig() {
        SimulatorConfig.Builder b = SimulatorConfig.builder().declineRate(o.declineRate).hangTime(Duration.ofSeconds(5));
        b.latency(o.gatewayLatencyP99Ms > 0
                ? LatencyModel.logNormal(Duration.ofMillis(o.gatewayLatencyMs), Duration.ofMillis(o.gatewayLatencyP99Ms))
                : LatencyModel.fixed(Duration.ofMillis(o.gatewayLatencyMs)));
        b = o.faultRate >= 0 ? o.faultMix.apply(b, o.faultRate) : o.faultMix.apply(b);
        if (o.timeoutAfterChargeRate > 0) {
            b.timeoutAfterChargeRate(b.build().timeoutAfterChargeRate() + o.timeoutAfterChargeRate);
        }
        return b.build();
    }

    private static RunTimeline.Sample sample(PipelineRig rig, DemoPublisher load, RunTimeline timeline,
            long startNanos, long rows) {
        double seconds = (System.nanoTime() - startNanos) / 1e9;
        ResultWatch watch = rig.watch();
        long results = watch.received();
        double sinceSeconds = timeline.isEmpty() ? seconds : seconds - timeline.last().seconds();
        long sinceResults = timeline.isEmpty() ? results : results - timeline.last().results();
        Histogram latency = watch.takeIntervalLatency();
        boolean any = latency.getTotalCount() > 0;
        PaymentWorker worker = rig.worker();
        CircuitBreaker.State breaker = worker.breakerState();
        boolean paused = breaker == CircuitBreaker.State.OPEN || breaker == CircuitBreaker.State.FORCED_OPEN
                || worker.operatorPause().isPresent();
        return new RunTimeline.Sample(seconds, load.published(), results, watch.firstResultsByStatus(),
                sinceSeconds > 0 ? sinceResults / sinceSeconds : 0, any ? latency.getValueAtPercentile(50) : -1,
                any ? latency.getValueAtPercentile(99) : -1, worker.inFlight(), breaker.name(), paused,
                rig.simulator().inOutage(), rig.retryBacklog(), rig.sampler().takeIntervalMax(), rows);
    }

    private static Path createParent(Path file) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        return file;
    }
}
