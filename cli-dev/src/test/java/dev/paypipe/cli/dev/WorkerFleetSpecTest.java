package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.worker.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A child worker is configured by keys: it must read back the breaker its parent was given. */
class WorkerFleetSpecTest {
    private final WorkerConfig base = WorkerConfig.of(KafkaSettings.of("localhost:1", TopicLayout.withPrefix("t-")),
            new GatewayConfig(URI.create("http://gateway.test"), "sk_test", Duration.ofSeconds(1),
                    Duration.ofSeconds(2), 1024, 2));

    private WorkerConfig.BreakerSettings readBack(WorkerConfig config) {
        ServiceProcess.Spec spec = WorkerFleet.workerSpec(config, Path.of("logs"));
        return WorkerConfig.from(ConfigSource.of(spec.config())).breaker();
    }

    @Test
    void theTimeWindowReachesTheChildWorker() {
        WorkerConfig config = base.withBreaker(WorkerConfig.BreakerSettings.defaults(Duration.ofSeconds(2))
                .withOpenWait(Duration.ofSeconds(2)));

        assertThat(readBack(config)).isEqualTo(config.breaker());
        assertThat(readBack(config).window()).isEqualTo(Duration.ofSeconds(4));
    }

    @Test
    void aCountWindowReachesTheChildWorker() {
        WorkerConfig config = base.withBreaker(WorkerConfig.BreakerSettings.defaults().withCountWindow(300));

        assertThat(readBack(config).windowType()).isEqualTo(WorkerConfig.BreakerSettings.WindowType.COUNT);
        assertThat(readBack(config).windowSize()).isEqualTo(300);
    }
}
