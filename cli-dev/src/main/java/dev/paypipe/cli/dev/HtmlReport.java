package dev.paypipe.cli.dev;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

/**
 * The demo's picture: one self-contained HTML page (inline SVG and CSS, no script, nothing fetched) with the run
 * over time, one sample a second from the {@link RunTimeline} (throughput, p50/p99 latency, calls in flight, outage,
 * breaker and pause, retry backlog per tier, database connections against the cap, the outage and pauses shaded on
 * every chart), then the verdict ({@code <table id="verdict">}) and every figure of the JSON report
 * ({@code <table id="figures">}).
 */
final class HtmlReport {
    private static final String OUTAGE = "rgba(220, 38, 38, 0.12)";
    private static final String PAUSED = "rgba(245, 158, 11, 0.22)";
    private static final String[] TIER_COLOURS = {"#ea580c", "#9333ea", "#0891b2", "#65a30d", "#db2777"};

    private final String title;
    private final RunTimeline timeline;
    private final DemoReport report;

    HtmlReport(String title, RunTimeline timeline, DemoReport report) {
        this.title = title;
        this.timeline = timeline;
        this.report = report;
    }

    void write(Path file) throws IOException {
        Files.writeString(file, render(), StandardCharsets.UTF_8);
    }

    String render() {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>paypipe demo</title>\n")
                .append("<style>\n")
                .append("body { font-family: sans-serif; margin: 24px; color: #18181b; }\n")
                .append("h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 16px; margin: 22px 0 4px; }\n")
                .append("p.run { color: #52525b; margin: 0 0 12px; max-width: 1320px; }\n")
                .append(".verdict { font-size: 18px; font-weight: bold; padding: 6px 12px; display: inline-block; }\n")
                .append(".pass { background: #dcfce7; color: #166534; } .fail { background: #fee2e2; color: #991b1b; }\n")
                .append("table { border-collapse: collapse; margin: 8px 0; } td, th { border: 1px solid #d4d4d8; "
                        + "padding: 3px 10px; text-align: left; font-size: 13px; } td.value { text-align: right; "
                        + "font-family: monospace; }\n")
                .append(".key { display: inline-block; width: 14px; height: 14px; vertical-align: middle; "
                        + "margin: 0 4px 0 14px; border: 1px solid #a1a1aa; }\n")
                .append("</style>\n</head>\n<body>\n");
        boolean ok = report.ok();
        html.append("<h1>paypipe demo</h1>\n<p class=\"run\">").append(escape(title)).append("</p>\n")
                .append("<div id=\"verdict-line\" class=\"verdict ").append(ok ? "pass\">VERDICT: OK" : "fail\">VERDICT: FAILED")
                .append("</div>\n");
        verdictTable(html);
        html.append("<p id=\"summary\">").append(escape(summary())).append("</p>\n");
        html.append("<p>Shaded on every chart:<span class=\"key\" style=\"background:").append(OUTAGE)
                .append("\"></span>gateway outage<span class=\"key\" style=\"background:").append(PAUSED)
                .append("\"></span>fleet paused (breaker open). One sample a second.</p>\n");
        charts(html);
        figuresTable(html);
        return html.append("</body>\n</html>\n").toString();
    }

    private void charts(StringBuilder html) {
        List<RunTimeline.Sample> samples = timeline.samples();
        double xMax = samples.isEmpty() ? 1 : timeline.last().seconds();
        double[] t = values(samples, RunTimeline.Sample::seconds);
        List<RunTimeline.Period> outage = timeline.periods(RunTimeline.Sample::outage);
        List<RunTimeline.Period> paused = timeline.periods(RunTimeline.Sample::paused);

        chart(html, "Throughput (payments per second)", banded(new SvgChart("chart-throughput", xMax, false, 220),
                outage, paused)
                .series("throughput", "results/s", "#2563eb", t, values(samples, RunTimeline.Sample::throughput), false)
                .series("published", "published/s", "#71717a", t, publishedPerSecond(samples), true));
        chart(html, "Latency, publish to first result (ms, log scale)",
                banded(new SvgChart("chart-latency", xMax, true, 220), outage, paused)
                        .series("latency-p50", "p50", "#16a34a", t, values(samples, s -> s.p50Ms()), false)
                        .series("latency-p99", "p99", "#dc2626", t, values(samples, s -> s.p99Ms()), false));
        chart(html, "Gateway calls in flight", banded(new SvgChart("chart-in-flight", xMax, false, 180), outage, paused)
                .series("in-flight", "in flight", "#7c3aed", t, values(samples, s -> s.inFlight()), false));
        chart(html, "Gateway, breaker and fleet", new SvgChart("chart-states", xMax, false, 0)
                .lane("outage", "gateway outage", "#dc2626", outage)
                .lane("breaker-open", "breaker open", "#ea580c", timeline.periods(RunTimeline.Sample::breakerOpen))
                .lane("breaker-half-open", "breaker half-open", "#facc15",
                        timeline.periods(RunTimeline.Sample::breakerHalfOpen))
                .lane("paused", "fleet paused", "#f59e0b", paused));
        SvgChart retry = banded(new SvgChart("chart-retry-backlog", xMax, false, 200), outage, paused);
        List<String> tiers = timeline.retryTiers();
        for (int i = 0; i < tiers.size(); i++) {
            String tier = tiers.get(i);
            retry.series("retry-backlog-" + tier, "tier " + tier, TIER_COLOURS[i % TIER_COLOURS.length], t,
                    values(samples, s -> s.retryBacklog().getOrDefault(tier, -1L)), false);
        }
        chart(html, "Retry backlog by tier (records waiting)", retry);
        chart(html, "Database connections of the db-writer (most seen each second) against the cap",
                banded(new SvgChart("chart-db-connections", xMax, false, 180), outage, paused)
                        .series("db-connections", "connections", "#2563eb", t, values(samples, s -> s.dbConnections()),
                                false)
                        .rule("db-cap", "cap " + timeline.dbPoolCap(), "#dc2626", timeline.dbPoolCap()));
    }

    private static SvgChart banded(SvgChart chart, List<RunTimeline.Period> outage, List<RunTimeline.Period> paused) {
        return chart.band("band-outage", OUTAGE, outage).band("band-paused", PAUSED, paused);
    }

    private static void chart(StringBuilder html, String caption, SvgChart chart) {
        html.append("<h2>").append(escape(caption)).append("</h2>\n").append(chart.render());
    }

    /** The figures a reader looks for first, from the JSON report's values. */
    private String summary() {
        Map<String, Object> v = report.values();
        Object latency = v.get("latencyMs");
        Map<?, ?> ms = latency instanceof Map<?, ?> m ? m : Map.of();
        return String.format(Locale.ROOT, "%s payments in %.1f s, %s/s end to end; latency p50 %s ms, p99 %s ms; "
                + "breaker open %.1f s; gateway charge calls per payment %s, look-ups per payment %s; "
                + "most database connections %s of %s.", v.get("payments"), number(v.get("elapsedMs")) / 1000.0,
                v.get("throughputPerSec"), ms.get("p50"), ms.get("p99"), number(v.get("breakerOpenMs")) / 1000.0,
                v.get("gatewayCallsPerPayment"), v.get("gatewayLookupsPerPayment"), v.get("maxDbConnectionsSeen"),
                v.get("dbPoolCap"));
    }

    private static double number(Object value) {
        return value instanceof Number n ? n.doubleValue() : 0;
    }

    private void verdictTable(StringBuilder html) {
        html.append("<table id=\"verdict\">\n<tr><th>check</th><th>value</th><th>expected</th><th>result</th></tr>\n");
        for (DemoReport.Check c : report.verdict()) {
            html.append("<tr data-check=\"").append(c.name()).append("\"><td>").append(c.name())
                    .append("</td><td class=\"value\">").append(c.value()).append("</td><td>").append(escape(c.expected()))
                    .append("</td><td class=\"").append(c.ok() ? "pass\">ok" : "fail\">FAIL").append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private void figuresTable(StringBuilder html) {
        html.append("<h2>Figures</h2>\n<table id=\"figures\">\n");
        for (Map.Entry<String, Object> e : report.values().entrySet()) {
            html.append("<tr data-key=\"").append(escape(e.getKey())).append("\"><th>").append(escape(e.getKey()))
                    .append("</th><td class=\"value\">").append(escape(String.valueOf(e.getValue()))).append("</td></tr>\n");
        }
        html.append("</table>\n");
    }

    private static double[] values(List<RunTimeline.Sample> samples, ToDoubleFunction<RunTimeline.Sample> f) {
        return samples.stream().mapToDouble(f).toArray();
    }

    private static double[] publishedPerSecond(List<RunTimeline.Sample> samples) {
        double[] rates = new double[samples.size()];
        for (int i = 0; i < samples.size(); i++) {
            RunTimeline.Sample s = samples.get(i);
            double dt = i == 0 ? s.seconds() : s.seconds() - samples.get(i - 1).seconds();
            long n = i == 0 ? s.published() : s.published() - samples.get(i - 1).published();
            rates[i] = dt > 0 ? n / dt : 0;
        }
        return rates;
    }

    /** Text for HTML element content and attribute values. */
    static String escape(String text) {
        StringBuilder b = new StringBuilder(text.length());
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
