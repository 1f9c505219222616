package dev.paypipe.cli.dev.bench;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.sim.SimulatorConfig;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * One scenario's pipeline: a {@link PipelineRig} on fresh topics and a fresh database of the shared broker and
 * PostgreSQL, the ledger on, its gateway calls timed, and a paced load into it.
 */
final class BenchRig implements AutoCloseable {
    private final PipelineRig rig;
    private final TimedGateway gateway;
    private final PacedLoad load;
    private final long latencyMs;

    private BenchRig(PipelineRig rig, TimedGateway gateway, int capacity, long latencyMs) {
        this.rig = rig;
        this.gateway = gateway;
        this.load = new PacedLoad(rig, capacity);
        this.latencyMs = latencyMs;
    }

    /**
     * @param capacity payments the run may publish at most
     * @param latencyMs the gateway's fixed latency; it decides the worker's in-flight limit ({@link #maxInFlight})
     */
    static BenchRig start(BenchSizes sizes, int capacity, long latencyMs) throws Exception {
        return start(sizes, capacity, latencyMs, Map.of());
    }

    /** As above with {@code clientExtras} given to every Kafka client of the pipeline ({@link PipelineRig}). */
    static BenchRig start(BenchSizes sizes, int capacity, long latencyMs, Map<String, String> clientExtras)
            throws Exception {
        return start(sizes, capacity, latencyMs, clientExtras, true);
    }

    /**
     * As above; {@code ledger} false leaves the ledger out (the worker reads the requests itself), which only
     * the latency scenario's comparison does: every figure against a goal runs with the ledger on.
     */
    static BenchRig start(BenchSizes sizes, int capacity, long latencyMs, Map<String, String> clientExtras,
            boolean ledger) throws Exception {
        // 10 % declines, as in the demo; a call that hangs gives up after 5 s, as real gateways do.
        SimulatorConfig simulator = SimulatorConfig.builder().latency(Duration.ofMillis(latencyMs)).declineRate(0.1)
                .hangTime(Duration.ofSeconds(5)).build();
        TimedGateway[] timed = new TimedGateway[1];
        PipelineRig.Settings settings = PipelineRig.Settings.demo(capacity, sizes.partitions(), simulator,
                maxInFlight(latencyMs), sizes.dbConnections(), ledger, latencyMs);
        PipelineRig rig = PipelineRig.start(settings, raw -> timed[0] = new TimedGateway(raw), clientExtras);
        return new BenchRig(rig, timed[0], capacity, latencyMs);
    }

    /**
     * Calls in flight that let the worker reach 10 × 1000 payments/s at this latency (Little's law), within the
     * demo's bounds of 1000..8000.
     */
    static int maxInFlight(long latencyMs) {
        return (int) Math.max(1000, Math.min(8000, latencyMs * 10));
    }

    PipelineRig rig() {
        return rig;
    }

    TimedGateway gateway() {
        return gateway;
    }

    PacedLoad load() {
        return load;
    }

    long latencyMs() {
        return latencyMs;
    }

    /** Result rows written to PostgreSQL so far (the db-writer's own counter: no query on the hot table). */
    long rows() {
        return rig.writer().rowsWritten();
    }

    /** Payments published and not yet written as a row. */
    long trailing() {
        return load.published() - load.failures() - rows();
    }

    /**
     * Waits until every published payment has a final result on the results topic, or the pipeline has stopped
     * making progress for {@code idle} with nothing left to do, or {@code deadline} passed.
     *
     * @return nanoTime of the last new result seen
     */
    long awaitResults(Duration deadline, Duration idle, BooleanSupplier onSample) {
        long end = System.nanoTime() + deadline.toNanos();
        int last = -1;
        long lastChange = System.nanoTime();
        while (System.nanoTime() < end) {
            int received = rig.watch().received();
            long now = System.nanoTime();
            if (received != last) {
                last = received;
                lastChange = now;
            }
            if (received >= load.published() - load.failures()) {
                return rig.watch().lastResultNanos();
            }
            if (now - lastChange > idle.toNanos() && !rig.holdsWork()) {
                break;
            }
            onSample.getAsBoolean();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20)); // sampling period
        }
        return rig.watch().lastResultNanos();
    }

    /** Waits (at most {@code deadline}) until every published payment has its row. */
    boolean drain(Duration deadline, BenchProgress progress) {
        long end = System.nanoTime() + deadline.toNanos();
        while (trailing() > 0) {
            if (System.nanoTime() > end) {
                return false;
            }
            progress.tick();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(50)); // sampling period
        }
        return true;
    }

    @Override
    public void close() throws Exception {
        rig.close();
    }
}
