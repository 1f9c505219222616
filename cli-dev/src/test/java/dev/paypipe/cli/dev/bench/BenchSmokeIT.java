package dev.paypipe.cli.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every bench scenario runs at tiny sizes and writes the report keys of docs/benchmarks.md as numbers, so the
 * bench cannot rot. Asserts the report's shape only: the figures of tiny runs mean nothing, and no timing.
 */
class BenchSmokeIT {
    private static final Map<String, List<String>> KEYS = Map.of(
            "ceilings", List.of("kafkaRecordsPerSec", "gatewayChargesPerSec", "copyRowsPerSec",
                    "combinedPaymentsPerSec"),
            "throughput", List.of("paymentsPerSec", "ratioToCeiling"),
            "latencyInsensitivity", List.of("paymentsPerSec", "ratio"),
            "latency", List.of("p50Ms", "p99Ms", "p999Ms", "gatewayP99Ms", "entryLegP99Ms", "exitLegP99Ms",
                    "ledgerCommitLatencyAvgMs", "ledgerCycleMs", "machineCpuBusy", "withoutLedgerP99MinusGatewayP99Ms"),
            "outage", List.of("gatewayCallsPerPayment", "maxDbConnections", "dbPoolCap", "drainSeconds"),
            "faults", List.of("rate", "cleanPaymentsPerSec", "hostilePaymentsPerSec", "ratioToClean", "stallSecondsMax",
                    "p99Ms", "breakerOpenMs", "maxInFlight", "machineCpuBusyHostile"),
            "dbWriter", List.of("copyRowsPerSec", "writerRowsPerSec", "ratioToCopy"),
            "baseline", List.of("paymentsPerSec", "ratio"));

    @Test
    void ceilingsDbWriterAndBaselineReportTheirFiguresAndKeepAJfrRecording(@TempDir Path jfr) throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ObjectNode report = new Bench(BenchSizes.smoke(), jfr, new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(List.of(Bench.Scenario.CEILINGS, Bench.Scenario.DB_WRITER, Bench.Scenario.BASELINE));

        assertKeys(report, List.of("ceilings", "dbWriter", "baseline"));
        // baseline needs paypipe's sustained rate, so the throughput search ran too and is reported
        assertThat(report.get("scenarios").get("throughput").get("paymentsPerSec").isNumber()).isTrue();
        assertThat(report.get("scenarios").get("ceilings").get("copyRowsPerSec").asDouble()).isPositive();
        assertThat(report.get("scenarios").get("baseline").get("paymentsPerSec").asDouble()).isPositive();
        assertThat(Files.size(jfr.resolve("ceilings.jfr"))).isPositive();
        assertThat(Files.size(jfr.resolve("baseline.jfr"))).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("| baseline | ratio |");
        assertThat(Bench.html(report)).contains("<td>ratioToCopy</td>");
    }

    @Test
    void pipelineScenariosReportTheirFigures() throws Exception {
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        ObjectNode report = new Bench(BenchSizes.smoke(), null, new PrintStream(console, true, StandardCharsets.UTF_8))
                .run(List.of(Bench.Scenario.THROUGHPUT, Bench.Scenario.LATENCY_INSENSITIVITY, Bench.Scenario.LATENCY,
                        Bench.Scenario.OUTAGE, Bench.Scenario.FAULTS));

        assertKeys(report, List.of("latencyInsensitivity", "latency", "outage", "faults"));
        JsonNode throughput = report.get("scenarios").get("throughput");
        assertThat(throughput.get("paymentsPerSec").isNumber()).as(throughput.toString()).isTrue();
        assertThat(throughput.get("steps").size()).as("the search paced the load in steps").isPositive();
        JsonNode outage = report.get("scenarios").get("outage");
        assertThat(outage.get("results").asLong()).as("every payment got its result after the outage")
                .isEqualTo(outage.get("payments").asLong());
        assertThat(report.get("machine").get("cores").asInt()).isPositive();
        JsonNode latency = report.get("scenarios").get("latency");
        assertThat(latency.get("ledger").asBoolean()).isTrue();
        assertThat(latency.get("withoutLedger").get("ledger").asBoolean()).as("the comparison ran without the ledger")
                .isFalse();
        assertThat(latency.get("results").asLong()).isPositive();
        JsonNode faults = report.get("scenarios").get("faults");
        assertThat(faults.get("rate").asInt()).as("faults load at paypipe's sustained rate, never below the fixed one")
                .isGreaterThanOrEqualTo(Math.max(BenchSizes.smoke().fixedRate(), throughput.get("paymentsPerSec").asInt()));
        assertThat(faults.get("results").asLong()).as("every payment of both phases got its result")
                .isEqualTo(faults.get("payments").asLong());
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("| faults | ratioToClean |");
    }

    private static void assertKeys(ObjectNode report, List<String> scenarios) {
        for (String scenario : scenarios) {
            JsonNode node = report.get("scenarios").get(scenario);
            assertThat(node).as("scenario " + scenario).isNotNull();
            for (String key : KEYS.get(scenario)) {
                assertThat(node.has(key)).as(scenario + "." + key + " in " + node).isTrue();
                assertThat(node.get(key).isNumber()).as(scenario + "." + key + " in " + node).isTrue();
            }
        }
    }
}
