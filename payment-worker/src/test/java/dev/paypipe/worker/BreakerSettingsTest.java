package dev.paypipe.worker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.testing.MutableClock;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import dev.paypipe.worker.WorkerConfig.BreakerSettings.WindowType;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig.SlidingWindowType;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
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
        assertThat(breaker.windowType()).isEqualTo(WindowType.TIME);
        assertThat(breaker.window()).as("2 x the 5 s call deadline").isEqualTo(Duration.ofSeconds(10));
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
        assertThat(r4j.getSlidingWindowType()).isEqualTo(SlidingWindowType.TIME_BASED);
        assertThat(r4j.getSlidingWindowSize()).as("seconds").isEqualTo(10);
    }

    @Test
    void theDefaultWindowIsTwiceTheCallDeadlineInWholeSeconds() {
        assertThat(load(Map.of("gateway.response-timeout", "2s")).breaker().window()).isEqualTo(Duration.ofSeconds(4));
        assertThat(load(Map.of("gateway.response-timeout", "2500ms")).breaker().window())
                .isEqualTo(Duration.ofSeconds(5));
        assertThat(load(Map.of("gateway.response-timeout", "1200ms")).breaker().window())
                .as("rounded up").isEqualTo(Duration.ofSeconds(3));
        assertThat(load(Map.of("gateway.response-timeout", "300ms")).breaker().window())
                .as("at least a second").isEqualTo(Duration.ofSeconds(1));
        assertThat(WorkerConfig.BreakerSettings.defaults(Duration.ofSeconds(30)).window())
                .isEqualTo(Duration.ofMinutes(1));
    }

    @Test
    void theWindowKeysReachResilience4j() {
        WorkerConfig.BreakerSettings time = load(Map.of("breaker.window", "30s", "breaker.minimum-calls", "500"))
                .breaker();
        CircuitBreakerConfig timeBased = time.toResilience4j(MutableClock.atDefaultStart());
        assertThat(timeBased.getSlidingWindowSize()).isEqualTo(30);
        assertThat(timeBased.getMinimumNumberOfCalls()).as("not capped by breaker.window-size").isEqualTo(500);

        WorkerConfig.BreakerSettings count = load(Map.of("breaker.window-type", "count", "breaker.window-size", "100",
                "breaker.minimum-calls", "20")).breaker();
        assertThat(count.windowType()).isEqualTo(WindowType.COUNT);
        CircuitBreakerConfig countBased = count.toResilience4j(MutableClock.atDefaultStart());
        assertThat(countBased.getSlidingWindowType()).isEqualTo(SlidingWindowType.COUNT_BASED);
        assertThat(countBased.getSlidingWindowSize()).isEqualTo(100);
        assertThat(countBased.getMinimumNumberOfCalls()).isEqualTo(20);
    }

    @Test
    void aWindowShorterThanTheCallDeadlineStopsStartUpNamingBothKeys() {
        assertThatThrownBy(() -> load(Map.of("breaker.window", "3s")))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("breaker.window (3s)").hasMessageContaining("gateway.response-timeout (5s)")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.window");
        assertThat(load(Map.of("breaker.window", "5s")).breaker().window()).isEqualTo(Duration.ofSeconds(5));
        assertThat(load(Map.of("breaker.window", "3s", "breaker.window-type", "count")).breaker().windowType())
                .as("a count window does not use breaker.window").isEqualTo(WindowType.COUNT);
    }

    @Test
    void aBadWindowValueNamesItsKey() {
        for (String bad : List.of("1500ms", "0s", "2h", "soon")) {
            assertThatThrownBy(() -> load(Map.of("breaker.window", bad)))
                    .as(bad).isInstanceOf(ConfigException.class)
                    .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.window");
        }
        assertThatThrownBy(() -> load(Map.of("breaker.window", "1500ms")))
                .hasMessageContaining("a whole number of seconds");
        assertThatThrownBy(() -> load(Map.of("breaker.window-type", "sliding")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("one of time, count")
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.window-type");
        assertThatThrownBy(() -> WorkerConfig.BreakerSettings.defaults().withCountWindow(20))
                .as("minimum-calls 50 > window-size 20").isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.minimum-calls");
    }

    @Test
    void aBadBreakerValueNamesItsKey() {
        assertThatThrownBy(() -> load(Map.of("breaker.half-open-max-wait", "0s")))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.half-open-max-wait");
        assertThatThrownBy(() -> load(Map.of("breaker.window-type", "count", "breaker.minimum-calls", "300")))
                .isInstanceOf(ConfigException.class)
                .extracting(e -> ((ConfigException) e).key()).isEqualTo("breaker.minimum-calls");
    }
}
