package dev.paypipe.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.OutageMode;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.worker.PaymentWorker;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The demo: the whole pipeline in one process ({@link PipelineRig}). Publishes payments, starts the gateway outage
 * halfway through the gateway's work, waits for a final database row for each payment, and reports.
 */
final class Demo {
    /**
     * @param faultMix the simulator's named fault mix
     * @param faultRate the mix's charge faults scaled to this share; negative = the mix's own rate
     * @param outageMode how the gateway behaves during the {@code outageSeconds} outage
     */
    record Options(int payments, int rate, long gatewayLatencyMs, FaultMix faultMix, double faultRate,
            double declineRate, int outageSeconds, OutageMode outageMode, int dbConsumers, int partitions,
            int maxInFlight, int timeoutSeconds, Path reportJson, double duplicateRate, double conflictRate,
            boolean ledger) {
    }

    private final Options o;
    private final PrintStream out;
    /** Workers as child processes, killed or restarted on a schedule; null: one worker in this process. */
    private DemoFailover failover;

    Demo(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    /** Runs the workers as child processes and disrupts them as {@code plan} says (the fail-over measurement). */
    Demo withFailover(DemoFailover plan) {
        this.failover = plan;
        return this;
    }

    int run() throws Exception {
        out.printf("paypipe demo: %d payments, rate %s, gateway latency %d ms, fault mix %s%s, outage %d s (%s), "
                + "duplicates %.2f, conflicts %.2f, ledger %s, db-writer consumers %d%n", o.payments,
                o.rate == 0 ? "max" : o.rate + "/s", o.gatewayLatencyMs, o.faultMix.cliName(),
                o.faultRate >= 0 ? String.format(" at %.2f", o.faultRate) : "", o.outageSeconds,
                o.outageMode.name().toLowerCase(java.util.Locale.ROOT), o.duplicateRate, o.conflictRate, o.ledger ? "on" : "off",
                o.dbConsumers);
        // A gateway that times out (or holds a charge in progress) gives up after 5 s, as real ones do
        // well within a minute; the worker's own call deadline cuts every call before that.
        SimulatorConfig.Builder simBuilder = SimulatorConfig.builder()
                .latency(Duration.ofMillis(o.gatewayLatencyMs)).declineRate(o.declineRate)
                .hangTime(Duration.ofSeconds(5));
        SimulatorConfig simConfig = (o.faultRate >= 0 ? o.faultMix.apply(simBuilder, o.faultRate)
                : o.faultMix.apply(simBuilder)).build();
        PipelineRig.Settings settings = PipelineRig.Settings.demo(o.payments, o.partitions, simConfig, o.maxInFlight,
                o.dbConsumers, o.ledger, o.gatewayLatencyMs).withWorkerInProcess(failover == null);
        try (PipelineRig rig = PipelineRig.start(settings); DemoFailover fleet = failover) {
            if (fleet != null) {
                fleet.start(rig.workerConfig(), rig.watch(), o.partitions);
            }
            out.printf("  infrastructure ready in %d ms: %s, %s%n", rig.infrastructureMillis(), rig.kafka().describe(),
                    rig.postgres().describe());
            GatewaySimulator sim = rig.simulator();
            PaymentWorker worker = rig.worker();
            ResultWatch watch = rig.watch();

            long start = System.currentTimeMillis();
            DemoPublisher load = new DemoPublisher(rig.publisher(), new PaymentFactory("demo"), watch, o.payments,
                    o.rate, o.duplicateRate, o.conflictRate, TimeUnit.SECONDS.toNanos(o.timeoutSeconds));
            Thread producer = new Thread(load, "demo-publisher");
            producer.start();

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds + o.outageSeconds);
            StallMeter stalls = new StallMeter();
            boolean outageStarted = o.outageSeconds == 0;
            long rows = 0;
            long lastPrint = 0;
            while (System.nanoTime() < deadline) {
                rows = rig.rowCount();
                // Halfway through the gateway's work, not the results': results trail the gateway by the
                // ledger's and the db-writer's batching, and a fast run would be over before the outage.
                if (!outageStarted && sim.stats().chargeCalls() >= o.payments / 2) {
                    sim.beginOutage(Duration.ofSeconds(o.outageSeconds), o.outageMode);
                    outageStarted = true;
                    out.printf("  gateway outage begins (%d s)%n", o.outageSeconds);
                }
                stalls.sample(System.nanoTime(), watch.resultsRead(), rig.holdsWork(), !sim.inOutage());
                if (System.nanoTime() - lastPrint > 1_000_000_000L || rows >= o.payments) {
                    lastPrint = System.nanoTime();
                    out.printf("  %5.1f s  published %d  results %d  db rows %d  in flight %d  breaker %s%n",
                            (System.currentTimeMillis() - start) / 1000.0, load.published(), watch.received(), rows,
                            worker.inFlight(), worker.breakerState());
                }
                if (rows >= o.payments) {
                    break;
                }
                Thread.sleep(outageStarted ? 100 : 5); // display, stall and outage-trigger sampling cadence
            }
            producer.join(TimeUnit.SECONDS.toMillis(o.timeoutSeconds));
            if (fleet != null) {
                fleet.stopDisruptions();
            }

            DemoReport report = new DemoReport(o.payments, o.dbConsumers);
            report.database(rig.db(), start);
            report.gateway(sim, load);
            report.pipeline(worker, rig.sampler(), watch, load, stalls);
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
                Path parent = o.reportJson.toAbsolutePath().getParent();
                if (parent != null) {
                    Files.createDirectories(parent);
                }
                new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                        .writeValue(o.reportJson.toFile(), report.values());
                out.println("  report written to " + o.reportJson);
            }
            return report.ok() ? 0 : 1;
        }
    }
}
