package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A paypipe command in a child JVM: config through the environment, a log per start, restarts keep the settings. */
class ServiceProcessIT {

    @Test
    void aServiceThatCannotStartFailsTheReadyWaitWithItsExitAndLog(@TempDir Path dir) {
        ServiceProcess.Spec spec = ServiceProcess.Spec.of("worker", "worker", dir)
                .with("gateway.api-key", "sk_test_process").with("worker.max-in-flight", "lots");
        try (ServiceProcess worker = ServiceProcess.start(spec)) {
            assertThatThrownBy(() -> worker.awaitReady(Duration.ofSeconds(60)))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("worker exited with")
                    .hasMessageContaining("worker.max-in-flight");
            assertThat(worker.starts()).isEqualTo(1);

            worker.restart();
            assertThat(worker.awaitExit(Duration.ofSeconds(60))).isTrue();
            assertThat(worker.starts()).isEqualTo(2);
            assertThat(worker.output()).as("the second start reads the same settings").contains("lots");
            assertThat(worker.adminUri().getPort()).isPositive();
        }
    }
}
