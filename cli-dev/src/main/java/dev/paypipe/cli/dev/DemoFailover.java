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
 * result watch and by samples of the group's ownership (every {@value #SAMPLE_MILLIS} ms) measures how long
 * a partition's payments waited with no live owner.
 *
 * <p>The workers' group membership comes from the demo's own environment ({@code PAYPIPE_KAFKA_GROUP_PROTOCOL},
 * {@code PAYPIPE_KAFKA_SESSION_TIMEOUT}, {@code PAYPIPE_KAFKA_CLIENT_*}), so each candidate setting can be
 * measured with the same command; a {@code PAYPIPE_KAFKA_CLIENT_GROUP_INSTANCE_ID} makes them static members.
 */
final class DemoFailover implements AutoCloseable {
    private static final Duration READY = Duration.ofMinutes(2);
    private static final long SAMPLE_MILLIS = 100;

    private final WorkerFleet.Disruption disruption;
    private final Duration every;
    private final int workers;
    private final PrintStream out;
    private WorkerFleet fleet;
    private FailoverMeter meter;
    private Path logDir;
    private GroupOwnership ownership;
    private int partitions;
    /** Set once the workers first own every partition: the start-up join is not a fail-over. */
    private volatile boolean settled;
    private java.util.concurrent.ScheduledExecutorService sampler;

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
        this.partitions = partitions;
        meter = new FailoverMeter(partitions);
        watch.meter(meter);
        out.printf("  starting %d worker processes (%s, session timeout %s; logs in %s)%n", workers,
                kafka.group().protocol().kafkaName(), kafka.group().sessionTimeout(), logDir);
        fleet = WorkerFleet.start(spec, workers, config.shutdownTimeout().plusSeconds(15), READY);
        ownership = new GroupOwnership(config.kafka().clientProperties(), config.groupId(),
                config.intake().requestsTopic(config.kafka().topics()));
        sampler = java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "demo-ownership-sampler");
            t.setDaemon(true);
            return t;
        });
        sampler.scheduleWithFixedDelay(this::sampleOwners, 0, SAMPLE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
        fleet.disruptEvery(every, disruption);
        out.printf("  %s one worker every %d s%n", disruption == WorkerFleet.Disruption.KILL
                ? "killing (SIGKILL, then starting again)" : "restarting (SIGTERM, then starting again)",
                every.toSeconds());
    }

    private void sampleOwners() {
        try {
            // pids first: a process that dies during the look-up is still counted dead from the next sample on
            java.util.Set<Long> live = fleet.livePids();
            java.util.Set<Integer> owned = ownership.ownedBy(live);
            if (!settled && owned.size() < partitions) {
                return;
            }
            settled = true;
            meter.owners(owned, System.nanoTime());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // the coordinator is busy (rebalancing); the next sample tells
        }
    }

    /** Stops the disruptions (the run is over; what is still pending must finish on live workers). */
    void stopDisruptions() {
        if (fleet != null) {
            fleet.stopDisruptions();
        }
    }

    /**
     * Adds {@code failoverSecondsMax} (longest time a partition with a waiting payment had no live owner),
     * {@code partitionStallSecondsMax} (longest time one had a waiting payment and gave no result: also counts a
     * busy owner and its replays), {@code replayedChargeCalls}, {@code workerKills} and {@code workerRestarts}.
     */
    void report(DemoReport report, GatewaySimulator sim) {
        meter.sample(System.nanoTime());
        double failover = Math.round(meter.maxOwnerlessSeconds() * 100) / 100.0;
        double stall = Math.round(meter.maxStallSeconds() * 100) / 100.0;
        report.put("failoverSecondsMax", failover);
        report.put("partitionStallSecondsMax", stall);
        report.put("replayedChargeCalls", sim.ledger().replays());
        report.put("workerKills", fleet.kills());
        report.put("workerRestarts", fleet.restarts());
        out.printf("  fail-over           longest time a partition had no live owner %.2f s (partition %d), longest "
                + "without a result %.2f s; %d kills, %d restarts; %d charge calls replayed%n", failover,
                meter.maxOwnerlessPartition(), stall, fleet.kills(), fleet.restarts(), sim.ledger().replays());
    }

    @Override
    public void close() {
        if (sampler != null) {
            sampler.shutdownNow();
        }
        if (ownership != null) {
            ownership.close();
        }
        if (fleet != null) {
            fleet.close();
        }
    }
}
