package dev.paypipe.metrics;

import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import java.net.URI;
import java.net.URISyntaxException;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Where meters go. Prometheus (scraped from the admin {@code /metrics}) is always on; CloudWatch is
 * on when {@code metrics.cloudwatch.enabled=true}. {@code region} and {@code endpoint} are null when
 * unset: the AWS SDK's default region chain and the regional endpoint then apply. Credentials always
 * come from the SDK's default chain. {@code commonTags} ({@code metrics.tag.<name>=<value>}) are added
 * to every meter and so become CloudWatch dimensions: keep them stable across instances.
 */
public record MetricsConfig(
        boolean cloudWatchEnabled,
        String namespace,
        String region,
        Duration step,
        URI endpoint,
        int batchSize,
        Map<String, String> commonTags) {

    /** The {@code metrics.*} keys of every service process. */
    public static final ConfigTable KEYS = new ConfigTable("metrics",
            "Where meters go: Prometheus on the admin /metrics always, CloudWatch when enabled.");
    public static final ConfigKey<Boolean> CLOUDWATCH_ENABLED = KEYS.key("metrics.cloudwatch.enabled").bool(false)
            .doc("Publish meters to CloudWatch (credentials from the AWS SDK's default chain).");
    public static final ConfigKey<String> NAMESPACE = KEYS.key("metrics.cloudwatch.namespace").string("paypipe")
            .check("a non-blank namespace that does not start with AWS/", n -> !n.isBlank() && !n.startsWith("AWS/"))
            .doc("CloudWatch namespace of every metric.");
    public static final ConfigKey<String> REGION = KEYS.key("metrics.cloudwatch.region").string("")
            .defaultText("(AWS SDK default chain)").doc("AWS region; unset, the SDK's default region chain applies.");
    public static final ConfigKey<Duration> STEP = KEYS.key("metrics.cloudwatch.step").duration(Duration.ofMinutes(1))
            .between(Duration.ofSeconds(1), Duration.ofHours(1)).doc("How often meters are published.");
    public static final ConfigKey<String> ENDPOINT = KEYS.key("metrics.cloudwatch.endpoint").string("")
            .check("an absolute URL such as http://localhost:4566", v -> v.isBlank() || uri(v.trim()) != null)
            .defaultText("(regional endpoint)").doc("CloudWatch endpoint override (LocalStack).");
    public static final ConfigKey<Integer> BATCH_SIZE = KEYS.key("metrics.cloudwatch.batch-size").integer(1000)
            .between(1, 1000).doc("Metric data per PutMetricData call (the API's limit is 1000).");
    public static final ConfigTable.PassThrough TAGS = KEYS.passThrough("metrics.tag.", "metrics.tag.env=prod",
            "A common tag <name>=<value> on every meter, so a CloudWatch dimension: keep it stable across instances.");

    public MetricsConfig {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(step, "step");
        commonTags = Map.copyOf(commonTags);
        NAMESPACE.check(namespace);
        BATCH_SIZE.check(batchSize);
    }

    /** Prometheus only; what tests and the demo use. */
    public static MetricsConfig prometheusOnly() {
        return new MetricsConfig(false, "paypipe", null, Duration.ofMinutes(1), null, 1000, Map.of());
    }

    public static MetricsConfig from(ConfigSource config) {
        String endpoint = config.get(ENDPOINT);
        String region = config.get(REGION);
        return new MetricsConfig(
                config.get(CLOUDWATCH_ENABLED),
                config.get(NAMESPACE),
                region.isBlank() ? null : region.trim(),
                config.get(STEP),
                endpoint.isBlank() ? null : uri(endpoint.trim()),
                config.get(BATCH_SIZE),
                new TreeMap<>(config.withPrefix(TAGS.prefix())));
    }

    /** The URL, or null when it is not absolute with a scheme and a host. */
    private static URI uri(String value) {
        try {
            URI uri = new URI(value);
            return uri.getScheme() == null || uri.getHost() == null ? null : uri;
        } catch (URISyntaxException e) {
            return null;
        }
    }
}
