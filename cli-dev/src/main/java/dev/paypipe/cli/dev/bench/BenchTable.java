package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BiPredicate;

/**
 * The bench's figures against the goals, as a markdown table for the console and an HTML page. A goal
 * is a comparison of one figure with a number or with another figure of the same scenario.
 */
final class BenchTable {
    /** One row: a figure of a scenario and, when there is one, its goal. */
    record Row(String scenario, String figure, String value, String goal, String verdict) {
    }

    private record Goal(String scenario, String key, String text, BiPredicate<Double, JsonNode> met) {
    }

    private static final List<Goal> GOALS = List.of(
            new Goal("ceilings", "kafkaRecordsPerSec", "", null),
            new Goal("ceilings", "gatewayChargesPerSec", "", null),
            new Goal("ceilings", "copyRowsPerSec", "", null),
            new Goal("ceilings", "combinedPaymentsPerSec", "", null),
            new Goal("throughput", "paymentsPerSec", ">= 5000", (v, n) -> v >= 5000),
            new Goal("throughput", "ratioToCeiling", ">= 0.6", (v, n) -> v >= 0.6),
            new Goal("latencyInsensitivity", "paymentsPerSec", "", null),
            new Goal("latencyInsensitivity", "ratio", ">= 0.5", (v, n) -> v >= 0.5),
            new Goal("latency", "rate", "", null),
            new Goal("latency", "p50Ms", "", null),
            new Goal("latency", "p99Ms", "", null),
            new Goal("latency", "p999Ms", "", null),
            new Goal("latency", "gatewayP99Ms", "", null),
            new Goal("latency", "p99MinusGatewayP99Ms", "<= 100", (v, n) -> v <= 100),
            new Goal("latency", "entryLegP99Ms", "", null),
            new Goal("latency", "exitLegP99Ms", "", null),
            new Goal("latency", "machineCpuBusy", "", null),
            new Goal("latency", "ledgerCycleMs", "", null),
            new Goal("latency", "withoutLedgerP99MinusGatewayP99Ms", "", null),
            new Goal("outage", "gatewayCallsPerPayment", "<= 1.5", (v, n) -> v <= 1.5),
            new Goal("outage", "maxDbConnections", "<= dbPoolCap",
                    (v, n) -> v <= n.path("dbPoolCap").asDouble()),
            new Goal("outage", "dbPoolCap", "", null),
            new Goal("outage", "drainSeconds", "", null),
            new Goal("faults", "rate", "", null),
            new Goal("faults", "cleanPaymentsPerSec", "", null),
            new Goal("faults", "hostilePaymentsPerSec", "", null),
            new Goal("faults", "ratioToClean", ">= 0.5", (v, n) -> v >= 0.5),
            new Goal("faults", "stallSecondsMax", "<= 2 x response timeout",
                    (v, n) -> v <= 2 * n.path("responseTimeoutSeconds").asDouble()),
            new Goal("faults", "p99Ms", "", null),
            new Goal("faults", "breakerOpenMs", "", null),
            new Goal("dbWriter", "copyRowsPerSec", "", null),
            new Goal("dbWriter", "writerRowsPerSec", "", null),
            new Goal("dbWriter", "ratioToCopy", ">= 0.6", (v, n) -> v >= 0.6),
            new Goal("baseline", "paymentsPerSec", "", null),
            new Goal("baseline", "ratio", ">= 20", (v, n) -> v >= 20));

    private BenchTable() {
    }

    static List<Row> rows(ObjectNode scenarios) {
        List<Row> rows = new ArrayList<>();
        for (Goal g : GOALS) {
            JsonNode scenario = scenarios.get(g.scenario());
            if (scenario == null || !scenario.has(g.key())) {
                continue;
            }
            double v = scenario.get(g.key()).asDouble();
            String verdict = g.met() == null ? "" : g.met().test(v, scenario) ? "met" : "NOT MET";
            rows.add(new Row(g.scenario(), g.key(), format(v), g.text(), verdict));
        }
        return rows;
    }

    static String markdown(List<Row> rows) {
        StringBuilder b = new StringBuilder("| scenario | figure | value | goal | verdict |\n|---|---|---:|---|---|\n");
        for (Row r : rows) {
            b.append("| ").append(r.scenario()).append(" | ").append(r.figure()).append(" | ").append(r.value())
                    .append(" | ").append(r.goal()).append(" | ").append(r.verdict()).append(" |\n");
        }
        return b.toString();
    }

    static String html(List<Row> rows, String machine) {
        StringBuilder b = new StringBuilder("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>paypipe bench"
                + "</title><style>body{font-family:sans-serif}td,th{padding:2px 10px;border-bottom:1px solid #ccc}"
                + "td.v{text-align:right}.no{color:#b00;font-weight:bold}</style></head><body>\n<h1>paypipe bench</h1>\n<p>")
                .append(escape(machine)).append("</p>\n<table>\n<tr><th>scenario</th><th>figure</th><th>value</th>"
                        + "<th>goal</th><th>verdict</th></tr>\n");
        for (Row r : rows) {
            b.append("<tr><td>").append(escape(r.scenario())).append("</td><td>").append(escape(r.figure()))
                    .append("</td><td class=\"v\">").append(escape(r.value())).append("</td><td>")
                    .append(escape(r.goal())).append("</td><td").append(r.verdict().startsWith("NOT") ? " class=\"no\""
                            : "").append('>').append(escape(r.verdict())).append("</td></tr>\n");
        }
        return b.append("</table>\n</body></html>\n").toString();
    }

    private static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? String.format(Locale.ROOT, "%,d", (long) v)
                : String.format(Locale.ROOT, "%,.3f", v);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
