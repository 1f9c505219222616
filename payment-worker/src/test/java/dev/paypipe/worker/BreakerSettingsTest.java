package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BreakerSettingsTest {

    private static WorkerConfig load(Map<String, String> extra) {
        Map<String, String> values = new HashMap<>(Map.of("gateway.api-key", "sk_test"));
        values.putAll(extra);
        return WorkerConfig.from(ConfigSource.of(values));
    }

    @Test
    void defaultsKeepAThirtyPercentFaultMixClosedAndWaitForProbesJustPastTheirDeadline() {
        WorkerConfig.BreakerSettings breaker = load(Map.of()).breaker();

        assertThat(breaker).isEqualTo(WorkerConfig.BreakerSettings.defaults());
        assertThat(breaker.windowSize()).isEqualTo(200);
        assertThat(breaker.minimumCalls()).isEqualTo(50);
        assertThat(breaker.halfOpenCalls()).isEqualTo(20);
        assertThat(breaker.halfOpenMaxWait()).isEqualTo(Duration.ofSeconds(6));
    }

    @Test
    void theDefaultHalfOpenWaitFollowsTheCallDeadline() {
        assertThat(load(Map.of("gateway.response-timeout", "10s")).breaker().halfOpenMaxWait())
                .isEqualTo(Duration.ofSeconds(11));
        assertThat(load(Map.of("gateway.response-timeout", "10s", "breaker.half-open-max-wait", "2s")).breaker()
                .halfOpenMaxWait()).isEqualTo(Duration.ofSeconds(2));
    }

    @Test
    void theHalfOpenWaitReachesResilience4jAndEndsInOpen() {
        WorkerConfig config = load(Map.of("breaker.half-open-max-wait", "1500ms"));

        CircuitBreakerConfig r4j = config.breaker().toResilience4j(MutableClock.atDefaultStart());

        assertThat(r4j.getMaxWaitDurationInHalfOpenState()).isEqualTo(Duration.ofMillis(1500));
        assertThat(r4j.getTransitionToStateAfterWaitDuration()).isEqualTo(CircuitBreaker.State.OPEN);
        assertThat(r4j.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(20);
        assertThat(r4j.getMinimumNumberOfCalls()).isEqualTo(50);
        assertThat(r4j.getSlidingWindowSize()).isEqualTo(200);
    }

    @Test
    void aBadBreakerValueNamesItsKey() {
        assertThatThrownBy(() -> load(Map.of("breaker.half-open-max-wait", "0s")))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.half-open-max-wait");
        assertThatThrownBy(() -> load(Map.of("breaker.minimum-calls", "300")))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.minimum-calls");
    }
}
