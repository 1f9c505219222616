package dev.paypipe.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.Test;

class CloudWatchAlarmsTest {
    private final CloudWatchAlarms alarms = new CloudWatchAlarms("paypipe", "paypipe", Map.of("env", "prod"),
            List.of("arn:aws:sns:eu-west-1:123456789012:payments-oncall"), 1000);

    @Test
    void coversEveryThresholdOfTheRunbook() {
        Map<String, Double> thresholds = alarms.alarms().stream().collect(Collectors.toMap(
                a -> a.get("AlarmName").asText(), a -> a.get("Threshold").asDouble()));

        assertThat(thresholds).containsExactlyInAnyOrderEntriesOf(Map.of(
                "paypipe-db-pool-utilisation-warning", 80.0, "paypipe-db-pool-utilisation-critical", 95.0,
                "paypipe-gateway-p99-warning", 5000.0, "paypipe-gateway-p99-critical", 10000.0,
                "paypipe-error-rate", 5.0, "paypipe-breaker-open", 1.0, "paypipe-unknown-results", 0.0,
                "paypipe-consumer-lag-growing", 1.0));
    }

    @Test
    void eachAlarmIsAPutMetricAlarmInputWithExactlyOneReturnedSeries() {
        for (ObjectNode alarm : alarms.alarms()) {
            assertThat(alarm.fieldNames()).toIterable().contains("AlarmName", "Metrics", "EvaluationPeriods", "Threshold",
                    "ComparisonOperator", "TreatMissingData");
            long returned = StreamSupport.stream(alarm.get("Metrics").spliterator(), false)
                    .filter(m -> m.get("ReturnData").asBoolean()).count();
            assertThat(returned).as(alarm.get("AlarmName").asText()).isEqualTo(1);
            assertThat(alarm.get("AlarmActions").get(0).asText()).endsWith("payments-oncall");
        }
    }

    @Test
    void usesTheMetricNamesCloudWatch2PublishesWithTheServiceAndCommonDimensions() {
        ObjectNode unknown = byName("paypipe-unknown-results");
        JsonNode metric = unknown.get("Metrics").get(0).get("MetricStat").get("Metric");

        assertThat(metric.get("MetricName").asText()).isEqualTo("paypipe.results.count");
        assertThat(metric.get("Dimensions").toString()).contains("{\"Name\":\"service\",\"Value\":\"payment-worker\"}",
                "{\"Name\":\"env\",\"Value\":\"prod\"}", "{\"Name\":\"status\",\"Value\":\"UNKNOWN\"}");
        assertThat(byName("paypipe-gateway-p99-critical").toString())
                .contains("paypipe.gateway.latency.percentile.value", "\"Value\":\"0.99\"");
        assertThat(byName("paypipe-db-pool-utilisation-warning").toString())
                .contains("hikaricp.connections.active.value", "hikaricp.connections.max.value", "100 * active / max");
    }

    @Test
    void theP99AlarmWatchesTheGaugeMicrometerRegistersForATimersPercentile() {
        io.micrometer.core.instrument.simple.SimpleMeterRegistry registry = new io.micrometer.core.instrument.simple.SimpleMeterRegistry();
        io.micrometer.core.instrument.Timer.builder("paypipe.gateway.latency").publishPercentiles(0.5, 0.99).register(registry);

        assertThat(registry.find("paypipe.gateway.latency.percentile").tag("phi", "0.99").gauge()).isNotNull();
    }

    @Test
    void cloudFormationTemplateHoldsEveryAlarmAndTheDashboard() throws Exception {
        ObjectNode template = alarms.cloudFormation("paypipe");
        JsonNode resources = template.get("Resources");

        assertThat(resources.size()).isEqualTo(alarms.alarms().size() + 1);
        assertThat(resources.get("PaypipeBreakerOpenAlarm").get("Type").asText()).isEqualTo("AWS::CloudWatch::Alarm");
        String body = resources.get("Dashboard").get("Properties").get("DashboardBody").get("Fn::Sub").asText();
        assertThat(new ObjectMapper().readTree(body).get("widgets").size()).isEqualTo(6);
    }

    private ObjectNode byName(String name) {
        return alarms.alarms().stream().filter(a -> a.get("AlarmName").asText().equals(name)).findFirst().orElseThrow();
    }
}
