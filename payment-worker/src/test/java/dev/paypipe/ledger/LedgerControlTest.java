package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusReport;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.junit.jupiter.api.Test;

class LedgerControlTest {
    private static final Instant START = Instant.parse("2026-12-02T01:00:00Z");
    private final ProcessInstance instance = new ProcessInstance("ledger-host-a-1", "ledger", "host-a", START);

    @Test
    void aFleetPauseIsReportedWithWhoWhyAndSinceWhileProcessingGoesOn() {
        MutableClock clock = new MutableClock(START.plusSeconds(60));
        LedgerControl control = new LedgerControl(clock);

        control.pause("gateway outage INC-42", "alice");
        clock.advance(Duration.ofSeconds(5));
        control.pause("gateway outage INC-42 (again)", "alice");
        control.breaker(BreakerMode.FORCE_OPEN);
        StatusReport report = control.statusSource(instance, () -> KafkaStreams.State.RUNNING, Map::of).status();

        assertThat(report.paused()).isTrue();
        assertThat(report.pausedBy()).isEqualTo("alice");
        assertThat(report.pauseReason()).isEqualTo("gateway outage INC-42 (again)");
        assertThat(report.breaker()).isEqualTo("n/a");
        assertThat(report.details()).containsEntry("streams", "RUNNING").containsEntry("processing", "running")
                .containsEntry("pausedSince", START.plusSeconds(60).toString());
    }

    @Test
    void resumeClearsThePauseFromTheReport() {
        LedgerControl control = new LedgerControl(new MutableClock(START));
        control.pause("maintenance", "bob");

        control.resume();
        StatusReport report = control.statusSource(instance, () -> KafkaStreams.State.REBALANCING, Map::of).status();

        assertThat(report.paused()).isFalse();
        assertThat(report.pausedBy()).isNull();
        assertThat(report.details()).containsEntry("streams", "REBALANCING").doesNotContainKey("pausedSince");
        assertThat(control.fleetPause()).isEmpty();
    }

    @Test
    void lagCountsTheMainConsumersPartitionsAndLeavesOutTheRestoreConsumer() {
        Map<MetricName, Metric> metrics = new LinkedHashMap<>();
        lag(metrics, "ledger-StreamThread-1-consumer", "payment-requests", "0", 40);
        lag(metrics, "ledger-StreamThread-1-consumer", "payment-outcomes", "1", 2);
        lag(metrics, "ledger-StreamThread-1-restore-consumer", "paypipe-ledger-ledger-store-changelog", "0", 900);
        lag(metrics, "ledger-StreamThread-1-consumer", "payment-requests", "1", Double.NaN);

        assertThat(LedgerControl.lagByPartition(metrics))
                .containsExactly(Map.entry("payment-outcomes-1", 2L), Map.entry("payment-requests-0", 40L));
    }

    private static void lag(Map<MetricName, Metric> metrics, String client, String topic, String partition,
            double value) {
        MetricName name = new MetricName("records-lag", "consumer-fetch-manager-metrics", "",
                Map.of("client-id", client, "topic", topic, "partition", partition));
        metrics.put(name, new Metric() {
            @Override
            public MetricName metricName() {
                return name;
            }

            @Override
            public Object metricValue() {
                return value;
            }
        });
    }

    private static final class MutableClock extends Clock {
        private Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        void advance(Duration d) {
            now = now.plus(d);
        }

        @Override
        public Instant instant() {
            return now;
        }

        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }
    }
}
