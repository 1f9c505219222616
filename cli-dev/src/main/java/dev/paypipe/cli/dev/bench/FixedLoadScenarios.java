package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.cli.dev.StallMeter;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.OutageMode;
import java.time.Duration;
import org.HdrHistogram.Histogram;

/**
 * The {@code outage} and {@code faults} scenarios, both at a fixed load ({@link BenchSizes#fixedRate()}) at 50 ms
 * gateway latency with the ledger on.
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
     * The same payments at the same rate twice on one pipeline, first against a clean gateway, then against the
     * {@code hostile} fault mix: the delivered rate (payments / seconds from the first publish to the last
     * result) of the hostile phase against the clean one, the longest stall ({@link StallMeter}) and the p99
     * request → result latency of the hostile phase.
     */
    static ObjectNode faults(BenchSizes sizes, BenchProgress progress) throws Exception {
        int rate = sizes.fixedRate();
        int perPhase = rate * sizes.loadSeconds();
        progress.phase("faults: starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, perPhase * 2 + 1000, ThroughputScenarios.LATENCY_MS)) {
            progress.phase("faults: clean " + rate + "/s");
            double clean = deliveredRate(rig, rate, sizes.loadSeconds(), null, progress);
            rig.rig().watch().histogram().reset();
            GatewaySimulator sim = rig.rig().simulator();
            sim.updateConfig(b -> FaultMix.HOSTILE.apply(b));
            progress.phase("faults: hostile " + rate + "/s");
            StallMeter stalls = new StallMeter();
            double hostile = deliveredRate(rig, rate, sizes.loadSeconds(), stalls, progress);
            Histogram h = rig.rig().watch().histogram();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("rate", rate);
            n.put("paymentsPerPhase", perPhase);
            n.put("cleanPaymentsPerSec", Math.round(clean));
            n.put("hostilePaymentsPerSec", Math.round(hostile));
            n.put("ratioToClean", ThroughputScenarios.round3(hostile / clean));
            n.put("stallSecondsMax", stalls.maxSeconds());
            n.put("responseTimeoutSeconds", rig.rig().workerConfig().gateway().responseTimeout().toMillis() / 1000.0);
            n.put("p99Ms", h.getValueAtPercentile(99));
            n.put("results", rig.rig().watch().received());
            n.put("payments", rig.load().published());
            n.put("chargedTwice", sim.ledger().chargedTwice());
            return n;
        }
    }

    private static double deliveredRate(BenchRig rig, int rate, int seconds, StallMeter stalls,
            BenchProgress progress) {
        int before = rig.rig().watch().received();
        long start = System.nanoTime();
        long[] lastSample = {0};
        Runnable sample = () -> {
            if (System.nanoTime() - lastSample[0] < 100_000_000L) { // StallMeter's sampling period
                return;
            }
            lastSample[0] = System.nanoTime();
            if (stalls != null) {
                GatewaySimulator sim = rig.rig().simulator();
                stalls.sample(System.nanoTime(), rig.rig().watch().resultsRead(), rig.rig().holdsWork(),
                        !sim.inOutage());
            }
            progress.tick();
        };
        int published = rig.load().run(rate, seconds, () -> {
            sample.run();
            return true;
        });
        long last = rig.awaitResults(RESULT_DEADLINE, Duration.ofSeconds(10), () -> {
            sample.run();
            return true;
        });
        int delivered = rig.rig().watch().received() - before;
        return Math.min(delivered, published) / Math.max(1e-3, (last - start) / 1e9);
    }
}
