package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusReport;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.testing.FakeGateway;
import dev.paypipe.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The worker as the fleet's control target and status source, without a broker (the worker is never started). */
class PaymentWorkerControlTest {
    private final MutableClock clock = MutableClock.atDefaultStart();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final WorkerConfig config = WorkerConfig.of(KafkaSettings.of("localhost:1", TopicLayout.withPrefix("t-")),
            GatewayConfig.of(URI.create("http://gateway.test"), "sk_test_key")).withMaxInFlight(8);
    private final ProcessInstance instance = new ProcessInstance("w-1", "payment-worker", "host-a", clock.instant());

    @Test
    void aPauseIsReportedWithWhoAndWhySinceTheFirstPauseUntilResumed() {
        try (PaymentWorker worker = new PaymentWorker(config, new FakeGateway(), registry, clock)) {
            worker.pause("gateway outage INC-42", "alice");
            clock.advance(Duration.ofSeconds(30));
            worker.pause("gateway outage INC-42", "alice"); // the same command again: idempotent

            StatusReport paused = worker.statusSource(instance).status();
            assertThat(paused.paused()).isTrue();
            assertThat(paused.pausedBy()).isEqualTo("alice");
            assertThat(paused.pauseReason()).isEqualTo("gateway outage INC-42");
            assertThat(paused.details()).containsEntry("pausedSince", clock.instant().minusSeconds(30).toString());
            assertThat(registry.get("paypipe.worker.paused").gauge().value()).isEqualTo(1);

            worker.resume();
            StatusReport running = worker.statusSource(instance).status();
            assertThat(running.paused()).isFalse();
            assertThat(running.pausedBy()).isNull();
            assertThat(registry.get("paypipe.worker.paused").gauge().value()).isZero();
        }
    }

    @Test
    void breakerCommandsForceOpenAndHandBackToTheRules() {
        try (PaymentWorker worker = new PaymentWorker(config, new FakeGateway(), registry, clock)) {
            worker.breaker(BreakerMode.FORCE_OPEN);
            assertThat(worker.breakerState()).isEqualTo(CircuitBreaker.State.FORCED_OPEN);
            assertThat(worker.statusSource(instance).status().breaker()).isEqualTo("FORCED_OPEN");
            assertThat(registry.get("paypipe.breaker.open").gauge().value()).isEqualTo(1);

            worker.breaker(BreakerMode.AUTO);
            assertThat(worker.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);

            worker.breaker(BreakerMode.FORCE_OPEN);
            worker.breaker(BreakerMode.RESET);
            assertThat(worker.breakerState()).isEqualTo(CircuitBreaker.State.CLOSED);
        }
    }

    @Test
    void statusListsEveryRetryTierAndTheMetersOfClientsBreakerAndAuthFailuresAreRegistered() {
        try (PaymentWorker worker = new PaymentWorker(config, new FakeGateway(), registry, clock)) {
            StatusReport report = worker.statusSource(instance).status();

            assertThat(report.retryBacklog()).containsOnlyKeys("1s", "5s", "30s", "2m", "10m");
            assertThat(report.inFlight()).isZero();
            assertThat(report.details()).containsEntry("intake", "direct").containsEntry("authFailures", "0");
            assertThat(registry.find("paypipe.gateway.auth.failures").functionCounter()).isNotNull();
            assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "gateway").gauges()).isNotEmpty();
            assertThat(registry.find("resilience4j.bulkhead.available.concurrent.calls").gauge()).isNotNull();
            assertThat(registry.find("paypipe.consumer.lag").tag("client", "worker-main").gauge()).isNotNull();
            assertThat(registry.find("paypipe.breaker.open.time").gauge()).isNotNull();
        }
    }
}
