package dev.paypipe.metrics;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * paypipe's CloudWatch alarms and dashboard as data, built on the metric names that
 * micrometer-registry-cloudwatch2 publishes: a gauge {@code g} as {@code g.value}, a counter
 * {@code c} as {@code c.count}, a timer's client-side percentile as {@code t.percentile.value} with
 * dimension {@code phi} (milliseconds). Every metric carries the dimension {@code service} plus the
 * configured common tags. Each alarm object is a valid {@code aws cloudwatch put-metric-alarm
 * --cli-input-json} document and the {@code Properties} of an {@code AWS::CloudWatch::Alarm}.
 */
public final class CloudWatchAlarms {
    static final String WORKER = "payment-worker";
    static final String DB_WRITER = "db-writer";
    /** Hikari's {@code pool} tag: the db-writer's pool name ({@code DbWriter.APPLICATION_NAME}). */
    static final String DB_POOL = "paypipe-db-writer";
    static final String WORKER_CONSUMER = "worker-main";
    private static final String[] STATUSES = {"APPROVED", "DECLINED", "REJECTED", "FAILED", "UNKNOWN"};
    private static final ObjectMapper JSON = new ObjectMapper();

    private final String namespace;
    private final String prefix;
    private final Map<String, String> commonDimensions;
    private final List<String> actions;
    private final long lagFloor;

    /**
     * @param prefix    alarm names start with it ({@code paypipe})
     * @param actions   SNS topic ARNs notified on ALARM and OK (may be empty)
     * @param lagFloor  "lag growing" only alarms above this many records, so a few records of jitter do not page
     */
    public CloudWatchAlarms(String namespace, String prefix, Map<String, String> commonDimensions, List<String> actions,
            long lagFloor) {
        this.namespace = Objects.requireNonNull(namespace, "namespace");
        this.prefix = Objects.requireNonNull(prefix, "prefix");
        this.commonDimensions = new LinkedHashMap<>(commonDimensions);
        this.actions = List.copyOf(actions);
        this.lagFloor = lagFloor;
    }

    public static CloudWatchAlarms from(MetricsConfig config, List<String> actions, long lagFloor) {
        return new CloudWatchAlarms(config.namespace(), "paypipe", config.commonTags(), actions, lagFloor);
    }

    /** The alarms, in the order of {@code docs/operations.md}'s table. */
    public List<ObjectNode> alarms() {
        List<ObjectNode> out = new ArrayList<>();
        for (Level level : new Level[] {Level.WARNING, Level.CRITICAL}) {
            out.add(ratio(level, "db-pool-utilisation-" + level.suffix(), "DB connection pool utilisation (active / max, %) of the db-writer",
                    stat("active", "hikaricp.connections.active.value", DB_WRITER, "Maximum", 60, "pool", DB_POOL),
                    stat("max", "hikaricp.connections.max.value", DB_WRITER, "Maximum", 60, "pool", DB_POOL),
                    "100 * active / max", level == Level.WARNING ? 80 : 95, level == Level.WARNING ? 3 : 2));
        }
        for (Level level : new Level[] {Level.WARNING, Level.CRITICAL}) {
            out.add(single(level, "gateway-p99-" + level.suffix(), "Gateway call latency p99 (ms) over any worker",
                    stat("m", "paypipe.gateway.latency.percentile.value", WORKER, "Maximum", 60, "phi", "0.99"),
                    level == Level.WARNING ? 5_000 : 10_000, level == Level.WARNING ? 3 : 2, "GreaterThanOrEqualToThreshold"));
        }
        out.add(errorRate());
        out.add(single(Level.CRITICAL, "breaker-open", "A worker's gateway circuit breaker is not closed (open, "
                + "half-open or forced open): no or few gateway calls",
                stat("m", "paypipe.breaker.open.value", WORKER, "Maximum", 60), 1, 1, "GreaterThanOrEqualToThreshold"));
        out.add(single(Level.CRITICAL, "unknown-results", "Payments ended UNKNOWN (may have been charged): reconcile "
                        + "(paypipe reconcile) and check the gateway",
                stat("m", "paypipe.results.count", WORKER, "Sum", 300, "status", "UNKNOWN"), 0, 1, "GreaterThanThreshold"));
        out.add(lagGrowing());
        return out;
    }

    private ObjectNode errorRate() {
        List<ObjectNode> metrics = new ArrayList<>();
        for (String s : STATUSES) {
            metrics.add(stat(s.toLowerCase(java.util.Locale.ROOT), "paypipe.results.count", WORKER, "Sum", 300, "status", s));
        }
        String total = "FILL(approved, 0) + FILL(declined, 0) + FILL(rejected, 0) + FILL(failed, 0) + FILL(unknown, 0)";
        metrics.add(expression("rate", "100 * (FILL(failed, 0) + FILL(unknown, 0)) / (" + total + ")",
                "error rate % (FAILED + UNKNOWN of all results)"));
        return alarm(Level.CRITICAL, "error-rate", "More than 5 % of results FAILED or UNKNOWN over 5 minutes "
                + "(DECLINED and REJECTED are answers, not errors)", metrics, 5, 1, "GreaterThanThreshold");
    }

    private ObjectNode lagGrowing() {
        List<ObjectNode> metrics = List.of(
                stat("lag", KafkaClientBinding.CONSUMER_LAG + ".value", WORKER, "Sum", 60, "client", WORKER_CONSUMER),
                expression("growing", "IF(lag > " + lagFloor + " AND DIFF(lag) > 0, 1, 0)",
                        "lag above " + lagFloor + " and growing"));
        return alarm(Level.WARNING, "consumer-lag-growing", "Worker consumer lag (sum over the fleet) above " + lagFloor
                + " records and growing for 5 minutes in a row: workers are not keeping up (paused? breaker open? "
                + "gateway slow?)", metrics, 1, 5, "GreaterThanOrEqualToThreshold");
    }

    // ------------------------------------------------------------------ builders

    enum Level {
        WARNING, CRITICAL;

        String suffix() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    private ObjectNode single(Level level, String name, String description, ObjectNode metric, double threshold,
            int periods, String comparison) {
        metric.put("ReturnData", true);
        return alarm(level, name, description, List.of(metric), threshold, periods, comparison);
    }

    private ObjectNode ratio(Level level, String name, String description, ObjectNode a, ObjectNode b, String expr,
            double threshold, int periods) {
        return alarm(level, name, description, List.of(a, b, expression("pct", expr, description)), threshold, periods,
                "GreaterThanOrEqualToThreshold");
    }

    private ObjectNode alarm(Level level, String name, String description, List<ObjectNode> metrics, double threshold,
            int periods, String comparison) {
        ObjectNode alarm = JSON.createObjectNode();
        alarm.put("AlarmName", prefix + "-" + name);
        alarm.put("AlarmDescription", "[" + level + "] " + description + ". See docs/operations.md.");
        alarm.put("ActionsEnabled", !actions.isEmpty());
        ArrayNode alarmActions = alarm.putArray("AlarmActions");
        ArrayNode okActions = alarm.putArray("OKActions");
        actions.forEach(a -> {
            alarmActions.add(a);
            okActions.add(a);
        });
        ArrayNode ms = alarm.putArray("Metrics");
        metrics.forEach(ms::add);
        alarm.put("EvaluationPeriods", periods);
        alarm.put("DatapointsToAlarm", periods);
        alarm.put("Threshold", threshold);
        alarm.put("ComparisonOperator", comparison);
        alarm.put("TreatMissingData", "notBreaching");
        return alarm;
    }

    private ObjectNode stat(String id, String metricName, String service, String stat, int period, String... extraDims) {
        ObjectNode metric = JSON.createObjectNode();
        metric.put("Id", id);
        ObjectNode metricStat = metric.putObject("MetricStat");
        ObjectNode m = metricStat.putObject("Metric");
        m.put("Namespace", namespace);
        m.put("MetricName", metricName);
        ArrayNode dims = m.putArray("Dimensions");
        dimensions(service, extraDims).forEach((k, v) -> dims.addObject().put("Name", k).put("Value", v));
        metricStat.put("Period", period);
        metricStat.put("Stat", stat);
        metric.put("ReturnData", false);
        return metric;
    }

    private static ObjectNode expression(String id, String expression, String label) {
        ObjectNode e = JSON.createObjectNode();
        e.put("Id", id).put("Expression", expression).put("Label", label).put("ReturnData", true);
        return e;
    }

    private Map<String, String> dimensions(String service, String... extra) {
        Map<String, String> dims = new LinkedHashMap<>();
        dims.put("service", service);
        dims.putAll(commonDimensions);
        for (int i = 0; i + 1 < extra.length; i += 2) {
            dims.put(extra[i], extra[i + 1]);
        }
        return dims;
    }

    // ------------------------------------------------------------------ dashboard and CloudFormation

    /** The dashboard body (the JSON that {@code put-dashboard --dashboard-body} takes): one graph per alarm. */
    public ObjectNode dashboardBody(String region) {
        ObjectNode body = JSON.createObjectNode();
        ArrayNode widgets = body.putArray("widgets");
        int i = 0;
        for (ObjectNode alarm : alarms()) {
            String name = alarm.get("AlarmName").asText();
            if (name.endsWith("-critical")) {
                continue; // its warning twin draws the same series
            }
            ObjectNode w = widgets.addObject();
            w.put("type", "metric").put("x", (i % 2) * 12).put("y", (i / 2) * 6).put("width", 12).put("height", 6);
            ObjectNode props = w.putObject("properties");
            props.put("title", name.replace("-warning", "")).put("region", region).put("view", "timeSeries")
                    .put("stat", "Maximum").put("period", 60);
            ArrayNode series = props.putArray("metrics");
            for (var m : alarm.get("Metrics")) {
                series.add(widgetSeries((ObjectNode) m));
            }
            props.putObject("annotations").putArray("horizontal").addObject()
                    .put("label", "alarm").put("value", alarm.get("Threshold").asDouble());
            i++;
        }
        return body;
    }

    private static ArrayNode widgetSeries(ObjectNode metric) {
        ArrayNode row = JSON.createArrayNode();
        ObjectNode options = JSON.createObjectNode().put("id", metric.get("Id").asText());
        if (metric.has("Expression")) {
            options.put("expression", metric.get("Expression").asText()).put("label", metric.get("Label").asText());
            row.add(options);
            return row;
        }
        ObjectNode stat = (ObjectNode) metric.get("MetricStat");
        ObjectNode m = (ObjectNode) stat.get("Metric");
        row.add(m.get("Namespace").asText()).add(m.get("MetricName").asText());
        m.get("Dimensions").forEach(d -> row.add(d.get("Name").asText()).add(d.get("Value").asText()));
        options.put("stat", stat.get("Stat").asText()).put("period", stat.get("Period").asInt());
        options.put("visible", metric.get("ReturnData").asBoolean());
        row.add(options);
        return row;
    }

    /** The {@code put-dashboard --cli-input-json} document. */
    public ObjectNode dashboard(String name, String region) {
        ObjectNode d = JSON.createObjectNode();
        d.put("DashboardName", name);
        d.put("DashboardBody", dashboardBody(region).toString());
        return d;
    }

    /** A CloudFormation template with every alarm and the dashboard (region from {@code AWS::Region}). */
    public ObjectNode cloudFormation(String dashboardName) {
        ObjectNode template = JSON.createObjectNode();
        template.put("AWSTemplateFormatVersion", "2010-09-09");
        template.put("Description", "paypipe alarms and dashboard (generated by paypipe cloudwatch alarms --print)");
        ObjectNode resources = template.putObject("Resources");
        for (ObjectNode alarm : alarms()) {
            String logicalId = toLogicalId(alarm.get("AlarmName").asText());
            ObjectNode r = resources.putObject(logicalId);
            r.put("Type", "AWS::CloudWatch::Alarm");
            r.set("Properties", alarm);
        }
        ObjectNode dash = resources.putObject("Dashboard");
        dash.put("Type", "AWS::CloudWatch::Dashboard");
        ObjectNode props = dash.putObject("Properties");
        props.put("DashboardName", dashboardName);
        props.putObject("DashboardBody").put("Fn::Sub", dashboardBody("${AWS::Region}").toString());
        return template;
    }

    private static String toLogicalId(String alarmName) {
        StringBuilder sb = new StringBuilder();
        for (String part : alarmName.split("[^A-Za-z0-9]+")) {
            if (!part.isEmpty()) {
                sb.append(Character.toUpperCase(part.charAt(0))).append(part.substring(1));
            }
        }
        return sb.append("Alarm").toString();
    }
}
