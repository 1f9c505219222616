package dev.paypipe.cli.dev;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.GroupMembership;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.worker.WorkerConfig;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The demo's fail-over run ({@code --kill-worker-every S} / {@code --restart-worker-every S}): the workers run
 * as child processes ({@link WorkerFleet}) instead of in the demo's JVM, one of them is SIGKILLed (and started
 * again at once) or SIGTERMed and started again every S seconds, and a {@link FailoverMeter} fed by the demo's
 * result watch measures how long a partition's payments waited with no live owner.
 *
 * <p>The workers' group membership comes from the demo's own environment ({@code PAYPIPE_KAFKA_GROUP_PROTOCOL},
 * {@code PAYPIPE_KAFKA_SESSION_TIMEOUT}, {@code PAYPIPE_KAFKA_CLIENT_*}), so each candidate setting can be
 * measured with the same command; a {@code PAYPIPE_KAFKA_CLIENT_GROUP_INSTANCE_ID} makes them static members.
 */
final class DemoFailover implements AutoCloseable {
    private static final Duration READY = Duration.ofMinutes(2);

    private final WorkerFleet.Disruption disruption;
    private final Duration every;
    private final int workers;
    private final PrintStream out;
    private WorkerFleet fleet;
    private FailoverMeter meter;
    private Path logDir;

    DemoFailover(WorkerFleet.Disruption disruption, Duration every, int workers, PrintStream out) {
        this.disruption = Objects.requireNonNull(disruption, "disruption");
        this.every = every;
        this.workers = workers;
        this.out = out;
    }

    /**
     * Starts the workers of {@code config} as child processes, connects the meter to {@code watch} and schedules
     * the disruptions. The in-process worker of the demo stays unstarted.
     */
    void start(WorkerConfig config, ResultWatch watch, int partitions) {
        try {
            logDir = Files.createTempDirectory("paypipe-demo-workers");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a log directory for the demo's workers", e);
        }
        ConfigSource env = ConfigSource.load(null);
        KafkaSettings kafka = new KafkaSettings(config.kafka().bootstrapServers(), config.kafka().topics(),
                env.withPrefix("kafka.client."), KafkaSettings.from(env).group());
        ServiceProcess.Spec spec = WorkerFleet.workerSpec(config, logDir).withAll(WorkerFleet.kafkaKeys(kafka));
        meter = new FailoverMeter(partitions);
        watch.meter(meter);
        out.printf("  starting %d worker processes (%s, session timeout %s; logs in %s)%n", workers,
                kafka.group().protocol().kafkaName(), kafka.group().sessionTimeout(), logDir);
        fleet = WorkerFleet.start(spec, workers, config.shutdownTimeout().plusSeconds(15), READY);
        fleet.disruptEvery(every, disruption);
        out.printf("  %s one worker every %d s%n", disruption == WorkerFleet.Disruption.KILL
                ? "killing (SIGKILL, then starting again)" : "restarting (SIGTERM, then starting again)",
                every.toSeconds());
    }

    /** Stops the disruptions (the run is over; what is still pending must finish on live workers). */
    void stopDisruptions() {
        if (fleet != null) {
            fleet.stopDisruptions();
        }
    }

    /** Adds {@code failoverSecondsMax}, {@code replayedChargeCalls}, {@code workerKills} and {@code workerRestarts}. */
    void report(DemoReport report, GatewaySimulator sim) {
        meter.sample(System.nanoTime());
        double failover = Math.round(meter.maxStallSeconds() * 100) / 100.0;
        report.put("failoverSecondsMax", failover);
        report.put("replayedChargeCalls", sim.ledger().replays());
        report.put("workerKills", fleet.kills());
        report.put("workerRestarts", fleet.restarts());
        out.printf("  fail-over           longest partition stall %.2f s (partition %d); %d kills, %d restarts; "
                + "%d charge calls replayed%n", failover, meter.maxStallPartition(), fleet.kills(), fleet.restarts(),
                sim.ledger().replays());
    }

    @Override
    public void close() {
        if (fleet != null) {
            fleet.close();
        }
    }
}
