package dev.paypipe.cli.dev;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import dev.paypipe.cli.CliLogging;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.OutageMode;
import java.util.Locale;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Option;

/** {@code paypipe demo}: the whole pipeline in one process on embedded infrastructure, with a verdict. */
@Command(name = "demo", mixinStandardHelpOptions = true,
        description = "Run broker, PostgreSQL, gateway simulator, worker and db-writer in-process, publish payments, "
                + "and check that every payment ended in exactly one final state, none lost, none charged twice.")
final class DemoCommand implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    // Options without a default take their value from the scenario (DemoScenario).
    @Option(names = "--scenario", defaultValue = "steady", paramLabel = "steady|burst",
            description = "steady: 20,000 payments at 200/s, log-normal gateway latency around 80 ms, 10 %% declines, "
                    + "transient faults, timeouts after charging, 2 %% duplicates, a 15 s outage in the middle. "
                    + "burst: 10,000 payments as fast as possible to a healthy 50 ms gateway (default ${DEFAULT-VALUE}).")
    String scenario;

    @Option(names = "--payments", description = "Payments to publish (steady 20000, burst 10000).")
    Integer payments;

    @Option(names = "--rate", description = "Payments per second; 0 = as fast as possible (steady 200, burst 0).")
    Integer rate;

    @Option(names = "--gateway-latency-ms", description = "Simulated gateway latency, the median when --gateway-latency-p99-ms is set (steady 80, burst 50).")
    Long gatewayLatencyMs;

    @Option(names = "--gateway-latency-p99-ms",
            description = "The gateway's 99th percentile latency: log-normal latency, capped at 10 x p99; 0 = fixed latency (steady 250, burst 0).")
    Long gatewayLatencyP99Ms;

    @Option(names = "--fault-mix", paramLabel = "none|transient|hostile",
            description = "The gateway's fault mix: none, transient (500, 429, 503, timeouts before charging; 10 %%), "
                    + "hostile (a third of calls: also timeouts, resets and 500s after charging, garbage and incomplete "
                    + "200s, slow drip, failing look-ups). Steady: transient; burst: transient when --fault-rate is set, else none.")
    String faultMix;

    @Option(names = "--timeout-after-charge-rate",
            description = "Share of charge calls that charge, then hold the answer past the worker's deadline (added to the mix; steady 0.003, burst 0).")
    Double timeoutAfterChargeRate;

    @Option(names = "--fault-rate", defaultValue = "-1",
            description = "Share of faulty charge calls, 0..1, spread as the mix spreads them (default: the mix's own rate).")
    double faultRate;

    @Option(names = "--decline-rate", description = "Share of charges declined (steady and burst 0.1).")
    Double declineRate;

    @Option(names = "--outage-seconds", description = "One gateway outage of this length in the middle of the run (steady 15, burst 0).")
    Integer outageSeconds;

    @Option(names = "--outage-mode", defaultValue = "unavailable", paramLabel = "unavailable|hang|timeout",
            description = "How the gateway behaves during the outage: fast 503s, requests that hang until it ends, "
                    + "or hang and 504 (default ${DEFAULT-VALUE}).")
    String outageMode;

    @Option(names = "--db-consumers", defaultValue = "2", description = "db-writer consumers = database connection cap (default ${DEFAULT-VALUE}).")
    int dbConsumers;

    @Option(names = "--partitions", defaultValue = "8", description = "Partitions of the pipeline topics (default ${DEFAULT-VALUE}).")
    int partitions;

    @Option(names = "--max-in-flight", defaultValue = "0",
            description = "Gateway calls in flight per worker; 0 = enough for the latency: 4 x latency-ms, at least 1000, at most 8000 (default).")
    int maxInFlight;

    @Option(names = "--timeout-seconds", defaultValue = "180", description = "Give up waiting for final rows after this long (default ${DEFAULT-VALUE}).")
    int timeoutSeconds;

    @Option(names = "--duplicate-rate",
            description = "Share of payments published twice, half back to back, half after the first result (steady 0.02, burst 0).")
    Double duplicateRate;

    @Option(names = "--conflict-rate", defaultValue = "0",
            description = "Share of payments re-published at once with another amount (default ${DEFAULT-VALUE}).")
    double conflictRate;

    @Option(names = "--no-ledger", negatable = false,
            description = "Run without the payment ledger (no de-duplication, results at-least-once), to measure its cost.")
    boolean noLedger;

    @Option(names = "--kill-worker-every", paramLabel = "S", defaultValue = "0",
            description = "Run the workers as child processes and SIGKILL one every S seconds (started again at once).")
    int killWorkerEvery;

    @Option(names = "--restart-worker-every", paramLabel = "S", defaultValue = "0",
            description = "Run the workers as child processes and restart one every S seconds (SIGTERM, then start).")
    int restartWorkerEvery;

    @Option(names = "--workers", defaultValue = "2",
            description = "Worker processes with --kill-worker-every or --restart-worker-every (default ${DEFAULT-VALUE}).")
    int workers;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path reportJson;

    @Option(names = "--report-html", paramLabel = "FILE",
            description = "Write one self-contained HTML page to FILE: charts of the run over time and the verdict.")
    Path reportHtml;

    @Option(names = "--verbose", description = "Show the components' logs.")
    boolean verbose;

    /** The fail-over run the options ask for, or null for one worker in the demo's process. */
    private DemoFailover failover() {
        if (killWorkerEvery < 0 || restartWorkerEvery < 0 || workers < 1) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--kill-worker-every and "
                    + "--restart-worker-every take seconds >= 1, --workers a count >= 1");
        }
        if (killWorkerEvery > 0 && restartWorkerEvery > 0) {
            throw new CommandLine.ParameterException(spec.commandLine(),
                    "--kill-worker-every and --restart-worker-every: choose one");
        }
        int every = Math.max(killWorkerEvery, restartWorkerEvery);
        return every == 0 ? null : new DemoFailover(killWorkerEvery > 0 ? WorkerFleet.Disruption.KILL
                : WorkerFleet.Disruption.RESTART, java.time.Duration.ofSeconds(every), workers, System.out);
    }

    @Override
    public Integer call() throws Exception {
        if (!verbose) {
            CliLogging.quiet();
            // The embedded broker logs at ERROR each OutOfOrderSequenceException that a transactional producer meets on
            // a fresh partition; the producer recovers, and the verdict judges the outcome.
            ((Logger) LoggerFactory.getLogger("kafka.server.ReplicaManager")).setLevel(Level.OFF);
        }
        DemoScenario base;
        FaultMix mix;
        OutageMode mode;
        try {
            base = DemoScenario.parse(scenario);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--scenario: " + e.getMessage());
        }
        long latencyMs = or(gatewayLatencyMs, base.latencyMs);
        int inFlight = maxInFlight > 0 ? maxInFlight : (int) Math.max(1000, Math.min(8000, latencyMs * 4));
        try {
            mix = faultMix != null ? FaultMix.parse(faultMix)
                    : base.faultMix != null ? base.faultMix : faultRate > 0 ? FaultMix.TRANSIENT : FaultMix.NONE;
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--fault-mix: " + e.getMessage());
        }
        try {
            mode = OutageMode.valueOf(outageMode.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), "--outage-mode: expected unavailable, hang or "
                    + "timeout, was '" + outageMode + "'");
        }
        int n = or(payments, base.payments);
        Demo.Options options = new Demo.Options(n, or(rate, base.rate), latencyMs, mix, faultRate,
                or(declineRate, base.declineRate), or(outageSeconds, base.outageSeconds), mode, dbConsumers, partitions,
                inFlight, timeoutSeconds, reportJson, or(duplicateRate, base.duplicateRate), conflictRate, !noLedger,
                base.cliName(), or(gatewayLatencyP99Ms, base.latencyP99Ms),
                or(timeoutAfterChargeRate, base.timeoutAfterChargeRate), reportHtml);
        return new Demo(options, System.out, () -> LiveView.forConsole(System.out, n, dbConsumers))
                .withFailover(failover()).run();
    }

    private static <T> T or(T given, T scenarioDefault) {
        return given != null ? given : scenarioDefault;
    }
}
