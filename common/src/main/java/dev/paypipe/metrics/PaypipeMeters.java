package dev.paypipe.metrics;

import io.micrometer.cloudwatch2.CloudWatchConfig;
import io.micrometer.cloudwatch2.CloudWatchMeterRegistry;
import io.micrometer.core.instrument.Clock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.jvm.ClassLoaderMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.core.instrument.binder.system.UptimeMetrics;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClient;
import software.amazon.awssdk.services.cloudwatch.CloudWatchAsyncClientBuilder;

/**
 * A process's meter registries: one {@link CompositeMeterRegistry} to register meters on, backed by
 * Prometheus (always; {@link #scrape()} serves {@code /metrics}) and CloudWatch when enabled. JVM
 * binders are bound once here; Kafka clients are bound by their owner through {@link KafkaClientBinding}.
 * Every meter carries the tag {@code service=<service>} plus the configured common tags.
 * Close it last: the CloudWatch registry publishes its final step on close.
 */
public final class PaypipeMeters implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PaypipeMeters.class);

    private final CompositeMeterRegistry registry;
    private final PrometheusMeterRegistry prometheus;
    private final CloudWatchMeterRegistry cloudWatch;
    private final CloudWatchAsyncClient cloudWatchClient;
    private final List<AutoCloseable> binders = new ArrayList<>();

    private PaypipeMeters(CompositeMeterRegistry registry, PrometheusMeterRegistry prometheus,
            CloudWatchMeterRegistry cloudWatch, CloudWatchAsyncClient cloudWatchClient) {
        this.registry = registry;
        this.prometheus = prometheus;
        this.cloudWatch = cloudWatch;
        this.cloudWatchClient = cloudWatchClient;
    }

    /**
     * @param service {@code payment-worker}, {@code db-writer}, {@code ledger}: the {@code service} tag
     *                (a CloudWatch dimension the alarms filter on)
     */
    public static PaypipeMeters create(MetricsConfig config, String service) {
        return create(config, service, DefaultCredentialsProvider.builder().build());
    }

    /** With explicit credentials (tests); production uses {@link #create(MetricsConfig, String)}. */
    static PaypipeMeters create(MetricsConfig config, String service, AwsCredentialsProvider credentials) {
        List<Tag> common = new ArrayList<>();
        common.add(Tag.of("service", service));
        config.commonTags().forEach((k, v) -> common.add(Tag.of(k, v)));

        CompositeMeterRegistry composite = new CompositeMeterRegistry();
        composite.config().commonTags(common);
        PrometheusMeterRegistry prometheus = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        composite.add(prometheus);

        CloudWatchMeterRegistry cloudWatch = null;
        CloudWatchAsyncClient client = null;
        if (config.cloudWatchEnabled()) {
            client = cloudWatchClient(config, credentials);
            cloudWatch = new CloudWatchMeterRegistry(cloudWatchConfig(config), Clock.SYSTEM, client);
            cloudWatch.config().meterFilter(KafkaClientBinding.stableCloudWatchDimensions());
            composite.add(cloudWatch);
        }
        PaypipeMeters meters = new PaypipeMeters(composite, prometheus, cloudWatch, client);
        meters.bindJvm();
        log.atInfo().setMessage("metrics registries ready").addKeyValue("event", "metrics_configured")
                .addKeyValue("service", service).addKeyValue("prometheus", true)
                .addKeyValue("cloudwatch", config.cloudWatchEnabled()).addKeyValue("namespace", config.namespace())
                .addKeyValue("region", config.region() == null ? "sdk-default" : config.region())
                .addKeyValue("step", config.step().toString())
                .addKeyValue("endpoint", config.endpoint() == null ? "regional" : config.endpoint().toString()).log();
        return meters;
    }

    static CloudWatchAsyncClient cloudWatchClient(MetricsConfig config, AwsCredentialsProvider credentials) {
        CloudWatchAsyncClientBuilder builder = CloudWatchAsyncClient.builder().credentialsProvider(credentials);
        if (config.region() != null) {
            builder.region(Region.of(config.region()));
        }
        if (config.endpoint() != null) {
            builder.endpointOverride(config.endpoint());
        }
        return builder.build();
    }

    static CloudWatchConfig cloudWatchConfig(MetricsConfig config) {
        return new CloudWatchConfig() {
            @Override
            public String get(String key) {
                return null;
            }

            @Override
            public String namespace() {
                return config.namespace();
            }

            @Override
            public Duration step() {
                return config.step();
            }

            @Override
            public int batchSize() {
                return config.batchSize();
            }
        };
    }

    private void bindJvm() {
        new ClassLoaderMetrics().bindTo(registry);
        new JvmMemoryMetrics().bindTo(registry);
        JvmGcMetrics gc = new JvmGcMetrics();
        gc.bindTo(registry);
        binders.add(gc);
        JvmThreadMetrics threads = new JvmThreadMetrics();
        threads.bindTo(registry);
        new ProcessorMetrics().bindTo(registry);
        new UptimeMetrics().bindTo(registry);
    }

    /** Register meters here. */
    public MeterRegistry registry() {
        return registry;
    }

    public PrometheusMeterRegistry prometheus() {
        return prometheus;
    }

    /** The Prometheus text exposition (format 0.0.4) of every meter. */
    public String scrape() {
        return prometheus.scrape();
    }

    public Optional<CloudWatchMeterRegistry> cloudWatch() {
        return Optional.ofNullable(cloudWatch);
    }

    /** Ignore meters matching {@code filter} everywhere, e.g. a noisy binder (call before binding). */
    public PaypipeMeters filter(MeterFilter filter) {
        registry.config().meterFilter(filter);
        return this;
    }

    @Override
    public void close() {
        for (AutoCloseable binder : binders) {
            try {
                binder.close();
            } catch (Exception e) {
                log.atDebug().setMessage("binder close failed").addKeyValue("problem", e.toString()).log();
            }
        }
        registry.close();
        prometheus.close();
        if (cloudWatch != null) {
            cloudWatch.close();
        }
        if (cloudWatchClient != null) {
            cloudWatchClient.close();
        }
    }
}
