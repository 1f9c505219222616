package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.cli.dev.StallMeter;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.OutageMode;
import java.time.Duration;
import java.util.function.BooleanSupplier;
import org.HdrHistogram.Histogram;

/**
 * The {@code outage} scenario at a fixed load ({@link BenchSizes#fixedRate()}) and the {@code faults} scenario at
 * paypipe's sustained rate, both at 50 ms gateway latency with the ledger on.
 */
final class FixedLoadScenarios {
    private static final Duration RESULT_DEADLINE = Duration.ofSeconds(120);

    private FixedLoadScenarios() {
    }

    /**
     * Load for {@code loadSeconds}, then a gateway outage of {@code outageSeconds} (fast 503s) with the load
     * going on, and on after it until the backlog is drained: the seconds from the outage's end until the rows
     * caught up with the load again ({@code drainSeconds}), charge calls per payment, and the most database
     * connections seen in {@code pg_stat_activity} against the db-writer's pool cap.
     */
    static ObjectNode outage(BenchSizes sizes, BenchProgress progress) throws Exception {
        int rate = sizes.fixedRate();
        int capacity = rate * (sizes.loadSeconds() + sizes.outageSeconds() + 200) + 1000;
        progress.phase("outage: starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, capacity, ThroughputScenarios.LATENCY_MS)) {
            GatewaySimulator sim = rig.rig().simulator();
            progress.phase("outage: load " + rate + "/s");
            rig.load().run(rate, sizes.loadSeconds(), () -> true);
            progress.phase("outage: gateway down " + sizes.outageSeconds() + " s");
            sim.beginOutage(Duration.ofSeconds(sizes.outageSeconds()), OutageMode.UNAVAILABLE);
            rig.load().run(rate, sizes.outageSeconds(), () -> true);
            sim.endOutage();
            long recovered = System.nanoTime();
            progress.phase("outage: draining");
            // Caught up: no more in the pipe than a second of load, as before the outage.
            long[] drainedAt = {-1};
            rig.load().run(rate, RESULT_DEADLINE.toSeconds(), () -> {
                if (rig.trailing() <= rate) {
                    drainedAt[0] = System.nanoTime();
                    return false;
                }
                progress.tick();
                return true;
            });
            rig.awaitResults(RESULT_DEADLINE, Duration.ofSeconds(10), () -> true);
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            int payments = rig.load().published();
            n.put("rate", rate);
            n.put("outageSeconds", sizes.outageSeconds());
            n.put("payments", payments);
            n.put("results", rig.rig().watch().received());
            n.put("gatewayCallsPerPayment", ThroughputScenarios.round3(
                    (double) sim.stats().chargeCalls() / Math.max(1, payments)));
            n.put("chargeCallsDuringOutage", sim.stats().chargeCallsDuringOutage());
            n.put("maxDbConnections", rig.rig().sampler().max());
            n.put("dbPoolCap", sizes.dbConnections());
            n.put("drainSeconds", drainedAt[0] < 0 ? -1 : ThroughputScenarios.round3((drainedAt[0] - recovered) / 1e9));
            n.put("chargedTwice", sim.ledger().chargedTwice());
            return n;
        }
    }

    /**
     * The fault mix's cost in throughput: one pipeline loaded at paypipe's sustained clean rate (the throughput
     * search's figure of this run), first against a clean gateway, then against the {@code hostile} fault mix
     * (a third of charge attempts fail, 10 % of look-ups fail). Throughput is the rate of final results while the
     * load runs (3 × {@code loadSeconds}), from its first third (the retries flowing) to its end, so it is what the pipeline
     * completes per second under that load, not how long its slowest retry chain takes ({@code hostileTailSeconds},
     * the last result after the last publish, and {@code p99Ms} say that). At a load below the hostile capacity the
     * ratio is 1; at the clean sustained rate it is the share of the clean capacity that survives the faults.
     * The pipeline drains between the phases. Also the longest stall ({@link StallMeter}) of the hostile phase.
     */
    static ObjectNode faults(BenchSizes sizes, BenchProgress progress, int sustainedRate) throws Exception {
        int rate = Math.max(sizes.fixedRate(), sustainedRate);
        int warmUp = (rate / 4 + rate / 2) * sizes.warmUpSeconds();
        // Three times the outage's load, the first third not measured: a hostile payment's result waits out retry
        // tiers and Retry-After of up to seconds, so a 10 s phase measured the ramp (charges at 4,400/s while results
        // came at 1,500/s) rather than what the pipeline completes once the retries flow.
        int phaseSeconds = sizes.loadSeconds() * 3;
        double settleSeconds = sizes.loadSeconds();
        int perPhase = rate * phaseSeconds;
        progress.phase("faults: starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, warmUp + perPhase * 2 + 1000, ThroughputScenarios.LATENCY_MS)) {
            // A quarter, then half of the rate, drained: run alone, a pipeline warmed only at a quarter met the
            // clean phase with a cold JIT and did 2,500/s of a 6,246/s load it sustains in the throughput search.
            progress.phase("faults: warm-up " + rate / 4 + "/s, " + rate / 2 + "/s");
            rig.load().run(rate / 4.0, sizes.warmUpSeconds(), () -> true);
            rig.load().run(rate / 2.0, sizes.warmUpSeconds(), () -> true);
            rig.awaitResults(RESULT_DEADLINE, Duration.ofSeconds(10), () -> true);
            progress.phase("faults: clean " + rate + "/s");
            Phase clean = phase(rig, rate, phaseSeconds, settleSeconds, null, progress);
            rig.rig().watch().resetLatency();
            long cleanBreakerOpenMs = rig.rig().worker().breakerOpenMillis();
            rig.gateway().micros().reset();
            GatewaySimulator sim = rig.rig().simulator();
            sim.updateConfig(b -> FaultMix.HOSTILE.apply(b));
            progress.phase("faults: hostile " + rate + "/s");
            StallMeter stalls = new StallMeter();
            Phase hostile = phase(rig, rate, phaseSeconds, settleSeconds, stalls, progress);
            Histogram h = rig.rig().watch().histogram();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("rate", rate);
            n.put("maxInFlight", BenchRig.maxInFlight(ThroughputScenarios.LATENCY_MS));
            n.put("paymentsPerPhase", perPhase);
            n.put("cleanPaymentsPerSec", Math.round(clean.resultsPerSec()));
            n.put("hostilePaymentsPerSec", Math.round(hostile.resultsPerSec()));
            n.put("ratioToClean", ThroughputScenarios.round3(hostile.resultsPerSec() / clean.resultsPerSec()));
            n.put("machineCpuBusyClean", clean.cpuBusy());
            n.put("machineCpuBusyHostile", hostile.cpuBusy());
            n.put("cleanTailSeconds", clean.tailSeconds());
            n.put("hostileTailSeconds", hostile.tailSeconds());
            n.put("stallSecondsMax", stalls.maxSeconds());
            n.put("responseTimeoutSeconds", rig.rig().workerConfig().gateway().responseTimeout().toMillis() / 1000.0);
            n.put("p99Ms", h.getValueAtPercentile(99));
            n.put("results", rig.rig().watch().received());
            n.put("payments", rig.load().published());
            n.put("chargedTwice", sim.ledger().chargedTwice());
            n.put("breakerOpenMs", rig.rig().worker().breakerOpenMillis());
            n.put("cleanBreakerOpenMs", cleanBreakerOpenMs);
            Histogram calls = rig.gateway().micros();
            n.put("gatewayP50Ms", ThroughputScenarios.round3(calls.getValueAtPercentile(50) / 1000.0));
            n.put("gatewayP90Ms", ThroughputScenarios.round3(calls.getValueAtPercentile(90) / 1000.0));
            n.put("gatewayP99Ms", ThroughputScenarios.round3(calls.getValueAtPercentile(99) / 1000.0));
            n.put("chargeCalls", sim.stats().chargeCalls());
            n.put("lookupCalls", sim.stats().lookupCalls());
            return n;
        }
    }

    /**
     * @param resultsPerSec first results per second from {@code settle} seconds into the load to its end
     * @param tailSeconds from the last publish to the last result
     * @param cpuBusy the machine's busy CPU share over the measured part ({@link MachineCpu})
     */
    private record Phase(double resultsPerSec, double tailSeconds, double cpuBusy) {
    }

    /** Loads one phase, measures its result rate, then waits until every payment has its result. */
    private static Phase phase(BenchRig rig, int rate, int seconds, double settle, StallMeter stalls,
            BenchProgress progress) {
        long[] lastSample = {0};
        BooleanSupplier sampling = () -> {
            if (System.nanoTime() - lastSample[0] >= 100_000_000L) { // StallMeter's sampling period
                lastSample[0] = System.nanoTime();
                if (stalls != null) {
                    stalls.sample(System.nanoTime(), rig.rig().watch().resultsRead(), rig.rig().holdsWork(),
                            !rig.rig().simulator().inOutage());
                }
                progress.tick();
            }
            return true; // never ends the load early
        };
        rig.load().run(rate, settle, sampling);
        int before = rig.rig().watch().received();
        long from = System.nanoTime();
        MachineCpu cpu = MachineCpu.start();
        rig.load().run(rate, seconds - settle, sampling);
        double cpuBusy = cpu.busy();
        double resultsPerSec = (rig.rig().watch().received() - before) / Math.max(1e-3, (System.nanoTime() - from) / 1e9);
        long loadEnd = System.nanoTime();
        long last = rig.awaitResults(RESULT_DEADLINE, Duration.ofSeconds(10), sampling);
        return new Phase(resultsPerSec, ThroughputScenarios.round3(Math.max(0, last - loadEnd) / 1e9), cpuBusy);
    }
}
