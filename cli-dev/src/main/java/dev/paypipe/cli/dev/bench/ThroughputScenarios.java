package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * The {@code throughput}, {@code latency-insensitivity} and {@code latency} scenarios: the sustained end-to-end
 * rate ({@link SustainedRateSearch}) at 50 ms and at 500 ms gateway latency, and the latency at half the
 * sustained rate. No faults, the ledger on.
 */
final class ThroughputScenarios {
    static final long LATENCY_MS = 50;
    static final long SLOW_LATENCY_MS = 500;
    /** Longest the latency scenario's warm-up goes on waiting for the results to catch up with the load. */
    private static final int MAX_CATCH_UP_SECONDS = 30;

    private ThroughputScenarios() {
    }

    /** The search at {@code latencyMs} on a fresh rig, from {@code startRate}. */
    static SustainedRateSearch.Result sustained(BenchSizes sizes, BenchProgress progress, long latencyMs,
            int startRate, String name) throws Exception {
        return sustained(sizes, progress, latencyMs, startRate, name, Map.of());
    }

    /** As above with {@code clientExtras} given to every Kafka client of the pipeline. */
    static SustainedRateSearch.Result sustained(BenchSizes sizes, BenchProgress progress, long latencyMs,
            int startRate, String name, Map<String, String> clientExtras) throws Exception {
        progress.phase(name + ": starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, SustainedRateSearch.capacity(sizes), latencyMs, clientExtras)) {
            return new SustainedRateSearch(rig, sizes, progress, name).search(startRate);
        }
    }

    /** {@code paymentsPerSec}, the steps, and {@code ratioToCeiling} when the ceilings ran (else absent). */
    static ObjectNode throughputNode(SustainedRateSearch.Result r, long latencyMs, double combinedCeiling) {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("paymentsPerSec", r.sustainedRate());
        n.put("rowsPerSecAtThatRate", Math.round(r.rowsPerSec()));
        n.put("gatewayLatencyMs", latencyMs);
        n.put("ledger", true);
        n.put("maxInFlight", BenchRig.maxInFlight(latencyMs));
        n.put("searchReachedMaxRate", r.reachedMaxRate());
        if (combinedCeiling > 0) {
            n.put("ratioToCeiling", round3(r.sustainedRate() / combinedCeiling));
        }
        ArrayNode steps = n.putArray("steps");
        for (SustainedRateSearch.Step s : r.steps()) {
            steps.addObject().put("rate", s.rate()).put("bounded", s.bounded())
                    .put("rowsPerSec", Math.round(s.rowsPerSec())).put("trailingMid", s.trailingMid())
                    .put("trailingEnd", s.trailingEnd());
        }
        return n;
    }

    static ObjectNode insensitivityNode(SustainedRateSearch.Result slow, int fastRate) {
        ObjectNode n = throughputNode(slow, SLOW_LATENCY_MS, 0);
        n.put("paymentsPerSecAt50Ms", fastRate);
        n.put("ratio", fastRate == 0 ? 0 : round3((double) slow.sustainedRate() / fastRate));
        return n;
    }

    /**
     * Request → result latency (published → first result on the results topic, read_committed) at half the
     * sustained rate, after a warm-up (a quarter of the rate, drained, then the rate until results caught up), and
     * the gateway's own charge latency in the same run; split
     * into the entry leg (publish → the worker sends the outcome: intake, the ledger's door, the gateway call) and
     * the exit leg (outcome → result read: the ledger's exit), with the ledger's transaction commits. Then the same
     * rate once more without the ledger ({@code withoutLedger}), so the report shows what the two exactly-once
     * transactions cost. {@code machineCpuBusy} is the whole machine's busy share while measured: "half the
     * sustained rate" of a box that runs everything is not half its CPU.
     */
    static ObjectNode latency(BenchSizes sizes, BenchProgress progress, int sustainedRate) throws Exception {
        int rate = Math.max(1, sustainedRate / 2);
        ObjectNode n = latencyAt(sizes, progress, rate, true);
        ObjectNode without = latencyAt(sizes, progress, rate, false);
        n.put("withoutLedgerP99MinusGatewayP99Ms", without.get("p99MinusGatewayP99Ms").asDouble());
        n.set("withoutLedger", without);
        return n;
    }

    private static ObjectNode latencyAt(BenchSizes sizes, BenchProgress progress, int rate, boolean ledger)
            throws Exception {
        String name = ledger ? "latency" : "latency without the ledger";
        int capacity = rate * (sizes.warmUpSeconds() * 2 + MAX_CATCH_UP_SECONDS + sizes.latencySeconds()) + 1000;
        progress.phase(name + ": starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, capacity, LATENCY_MS, Map.of(), ledger)) {
            progress.phase(name + ": warm-up " + rate / 4 + "/s, then " + rate + "/s");
            // A cold pipeline (JIT, group joins) at the full rate builds a backlog in its first seconds that it may
            // never work off within the run (on an AMD EPYC box: 8.6 s p99 at 3,000/s after 36 s). It warms up at a
            // quarter of the rate and drains, as the faults scenario does, then runs at the rate; the load goes on
            // until the results caught up, so the measurement never reports a backlog's age.
            rig.load().run(rate / 4.0, sizes.warmUpSeconds(), () -> true);
            rig.awaitResults(Duration.ofSeconds(30), Duration.ofSeconds(5), () -> true);
            rig.load().run(rate, sizes.warmUpSeconds(), () -> true);
            long caughtUp = Math.max(1, rate / 2);
            rig.load().run(rate, MAX_CATCH_UP_SECONDS,
                    () -> rig.load().published() - rig.rig().watch().received() > caughtUp);
            rig.rig().watch().resetLatency();
            rig.gateway().micros().reset();
            progress.phase(name + " at " + rate + "/s");
            MachineCpu cpu = MachineCpu.start();
            rig.load().run(rate, sizes.latencySeconds(), () -> true);
            double cpuBusy = cpu.busy();
            rig.awaitResults(Duration.ofSeconds(30), Duration.ofSeconds(5), () -> true);
            Histogram h = rig.rig().watch().histogram();
            Histogram g = rig.gateway().micros();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("rate", rate);
            n.put("ledger", ledger);
            n.put("machineCpuBusy", cpuBusy);
            n.put("results", h.getTotalCount());
            n.put("p50Ms", h.getValueAtPercentile(50));
            n.put("p99Ms", h.getValueAtPercentile(99));
            n.put("p999Ms", h.getValueAtPercentile(99.9));
            n.put("maxMs", h.getMaxValue());
            n.put("gatewayP50Ms", round3(g.getValueAtPercentile(50) / 1000.0));
            n.put("gatewayP99Ms", round3(g.getValueAtPercentile(99) / 1000.0));
            n.put("p99MinusGatewayP99Ms", round3(h.getValueAtPercentile(99) - g.getValueAtPercentile(99) / 1000.0));
            Histogram entry = rig.rig().watch().entryLeg();
            Histogram exit = rig.rig().watch().exitLeg();
            n.put("entryLegP50Ms", entry.getValueAtPercentile(50));
            n.put("entryLegP99Ms", entry.getValueAtPercentile(99));
            n.put("exitLegP50Ms", exit.getValueAtPercentile(50));
            n.put("exitLegP99Ms", exit.getValueAtPercentile(99));
            if (ledger) {
                MeterRegistry m = rig.rig().ledgerRegistry();
                n.put("ledgerCommitIntervalMs", rig.rig().ledgerConfig().commitInterval().toMillis());
                n.put("ledgerCommitLatencyAvgMs", round3(gauge(m, "kafka.stream.thread.commit.latency.avg")));
                n.put("ledgerCommitLatencyMaxMs", round3(gauge(m, "kafka.stream.thread.commit.latency.max")));
                n.put("ledgerCommitRatio", round3(gauge(m, "kafka.stream.thread.commit.ratio")));
                double commitsPerSec = gauge(m, "kafka.stream.thread.commit.rate");
                n.put("ledgerCommitsPerSec", round3(commitsPerSec));
                // A result waits for two commits (door, exit), each about one cycle of poll, process and commit.
                n.put("ledgerCycleMs", commitsPerSec > 0 ? round3(1000 / commitsPerSec) : -1);
                n.put("ledgerProcessRatio", round3(gauge(m, "kafka.stream.thread.process.ratio")));
                n.put("ledgerPollRatio", round3(gauge(m, "kafka.stream.thread.poll.ratio")));
                n.put("ledgerPunctuateRatio", round3(gauge(m, "kafka.stream.thread.punctuate.ratio")));
            }
            return n;
        }
    }

    /** A Streams thread gauge of the ledger's registry (one thread); NaN when absent. */
    private static double gauge(MeterRegistry registry, String name) {
        Gauge gauge = registry.find(name).gauge();
        return gauge == null ? Double.NaN : gauge.value();
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
