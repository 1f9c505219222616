package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
     * sustained rate, after a warm-up at that rate, and the gateway's own charge latency in the same run.
     */
    static ObjectNode latency(BenchSizes sizes, BenchProgress progress, int sustainedRate) throws Exception {
        int rate = Math.max(1, sustainedRate / 2);
        int capacity = rate * (sizes.warmUpSeconds() + sizes.latencySeconds()) + 1000;
        progress.phase("latency: starting the pipeline");
        try (BenchRig rig = BenchRig.start(sizes, capacity, LATENCY_MS)) {
            progress.phase("latency: warm-up " + rate + "/s");
            rig.load().run(rate, sizes.warmUpSeconds(), () -> true);
            rig.rig().watch().histogram().reset();
            rig.gateway().micros().reset();
            progress.phase("latency at " + rate + "/s");
            rig.load().run(rate, sizes.latencySeconds(), () -> true);
            rig.awaitResults(Duration.ofSeconds(30), Duration.ofSeconds(5), () -> true);
            Histogram h = rig.rig().watch().histogram();
            Histogram g = rig.gateway().micros();
            ObjectNode n = JsonNodeFactory.instance.objectNode();
            n.put("rate", rate);
            n.put("results", h.getTotalCount());
            n.put("p50Ms", h.getValueAtPercentile(50));
            n.put("p99Ms", h.getValueAtPercentile(99));
            n.put("p999Ms", h.getValueAtPercentile(99.9));
            n.put("maxMs", h.getMaxValue());
            n.put("gatewayP50Ms", round3(g.getValueAtPercentile(50) / 1000.0));
            n.put("gatewayP99Ms", round3(g.getValueAtPercentile(99) / 1000.0));
            n.put("p99MinusGatewayP99Ms", round3(h.getValueAtPercentile(99) - g.getValueAtPercentile(99) / 1000.0));
            return n;
        }
    }

    static double round3(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
