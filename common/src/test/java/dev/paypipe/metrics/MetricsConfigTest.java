package dev.paypipe.metrics;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class MetricsConfigTest {

    @Test
    void defaultsArePrometheusOnlyAndLocalAdminWithoutCommands() {
        MetricsConfig metrics = MetricsConfig.from(ConfigSource.of(Map.of()));
        AdminConfig admin = AdminConfig.from(ConfigSource.of(Map.of()));

        assertThat(metrics.cloudWatchEnabled()).isFalse();
        assertThat(metrics.namespace()).isEqualTo("paypipe");
        assertThat(metrics.step()).isEqualTo(Duration.ofMinutes(1));
        assertThat(metrics.region()).isNull();
        assertThat(metrics.endpoint()).isNull();
        assertThat(admin.host()).isEqualTo("127.0.0.1");
        assertThat(admin.port()).isEqualTo(8081);
        assertThat(admin.hasToken()).isFalse();
    }

    @Test
    void readsEveryCloudWatchKeyAndTheCommonTags() {
        MetricsConfig config = MetricsConfig.from(ConfigSource.of(Map.of(
                "metrics.cloudwatch.enabled", "true", "metrics.cloudwatch.namespace", "payments/prod",
                "metrics.cloudwatch.region", "eu-west-1", "metrics.cloudwatch.step", "30s",
                "metrics.cloudwatch.endpoint", "http://localhost:4566", "metrics.tag.env", "prod")));

        assertThat(config).isEqualTo(new MetricsConfig(true, "payments/prod", "eu-west-1", Duration.ofSeconds(30),
                URI.create("http://localhost:4566"), 1000, Map.of("env", "prod")));
    }

    @Test
    void aBadValueNamesItsKey() {
        assertThatThrownBy(() -> MetricsConfig.from(ConfigSource.of(Map.of("metrics.cloudwatch.endpoint", "localhost"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("metrics.cloudwatch.endpoint");
        assertThatThrownBy(() -> MetricsConfig.from(ConfigSource.of(Map.of("metrics.cloudwatch.namespace", "AWS/EC2"))))
                .hasMessageContaining("metrics.cloudwatch.namespace");
        assertThatThrownBy(() -> AdminConfig.from(ConfigSource.of(Map.of("admin.port", "70000"))))
                .hasMessageContaining("admin.port");
    }
}
