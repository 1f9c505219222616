package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.reconcile.Reconciler;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReconcileScheduleTest {
    private static final Reconciler.Report CLEAN = new Reconciler.Report(10, 1, 1, 0, 0, 0, 0, 0);

    @Test
    void scheduledReconciliationIsOffUnlessAnIntervalIsConfigured() {
        assertThat(ReconcileSchedule.Settings.from(ConfigSource.of(Map.of())).enabled()).isFalse();
        assertThat(ReconcileSchedule.Settings.from(ConfigSource.of(Map.of("reconcile.interval", "off"))).enabled())
                .isFalse();
        ReconcileSchedule.Settings every5m = ReconcileSchedule.Settings.from(
                ConfigSource.of(Map.of("reconcile.interval", "5m", "reconcile.concurrency", "8")));
        assertThat(every5m.interval()).isEqualTo(Duration.ofMinutes(5));
        assertThat(every5m.concurrency()).isEqualTo(8);
    }

    @Test
    void anIntervalShorterThanTenSecondsOrUnreadableStopsStartUpNamingTheKey() {
        assertThatThrownBy(() -> ReconcileSchedule.Settings.from(ConfigSource.of(Map.of("reconcile.interval", "2s"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reconcile.interval='2s'")
                .hasMessageContaining("10s");
        assertThatThrownBy(() -> ReconcileSchedule.Settings.from(ConfigSource.of(Map.of("reconcile.interval", "soon"))))
                .isInstanceOf(ConfigException.class).hasMessageContaining("reconcile.interval");
    }

    @Test
    void aRunIsSkippedWhileHeldAndAFailedRunDoesNotEndTheSchedule() {
        AtomicInteger runs = new AtomicInteger();

        ReconcileSchedule.runOnce(() -> {
            runs.incrementAndGet();
            return CLEAN;
        }, () -> "fleet paused by alice");
        assertThat(runs).as("held: the gateway is left alone").hasValue(0);

        ReconcileSchedule.runOnce(() -> {
            runs.incrementAndGet();
            return CLEAN;
        }, () -> null);
        assertThat(runs).hasValue(1);

        ReconcileSchedule.runOnce(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("Kafka unreachable");
        }, () -> null);
        assertThat(runs).as("the failure was caught, not thrown").hasValue(2);
    }
}
