package dev.paypipe.metrics;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
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

    public MetricsConfig {
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(step, "step");
        commonTags = Map.copyOf(commonTags);
        if (namespace.isBlank() || namespace.startsWith("AWS/")) {
            throw new ConfigException("metrics.cloudwatch.namespace", "invalid config metrics.cloudwatch.namespace='"
                    + namespace + "': expected a non-blank namespace that does not start with AWS/");
        }
        if (batchSize < 1 || batchSize > 1000) {
            throw new ConfigException("metrics.cloudwatch.batch-size", "invalid config metrics.cloudwatch.batch-size="
                    + batchSize + ": expected 1..1000 (PutMetricData limit)");
        }
    }

    /** Prometheus only; what tests and the demo use. */
    public static MetricsConfig prometheusOnly() {
        return new MetricsConfig(false, "paypipe", null, Duration.ofMinutes(1), null, 1000, Map.of());
    }

    public static MetricsConfig from(ConfigSource config) {
        String endpoint = config.string("metrics.cloudwatch.endpoint", "");
        String region = config.string("metrics.cloudwatch.region", "");
        return new MetricsConfig(
                config.bool("metrics.cloudwatch.enabled", false),
                config.string("metrics.cloudwatch.namespace", "paypipe"),
                region.isBlank() ? null : region.trim(),
                config.duration("metrics.cloudwatch.step", Duration.ofMinutes(1), Duration.ofSeconds(1), Duration.ofHours(1)),
                endpoint.isBlank() ? null : uri(endpoint.trim()),
                config.intInRange("metrics.cloudwatch.batch-size", 1000, 1, 1000),
                new TreeMap<>(config.withPrefix("metrics.tag.")));
    }

    private static URI uri(String value) {
        try {
            URI uri = new URI(value);
            if (uri.getScheme() == null || uri.getHost() == null) {
                throw new URISyntaxException(value, "scheme and host required");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ConfigException("metrics.cloudwatch.endpoint", "invalid config metrics.cloudwatch.endpoint='"
                    + value + "': expected an absolute URL such as http://localhost:4566");
        }
    }
}
