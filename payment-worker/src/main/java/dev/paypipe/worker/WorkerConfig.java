package dev.paypipe.worker;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.retry.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Everything a payment worker needs, validated once at start.
 *
 * @param maxInFlight gateway calls open at once per worker process (the bulkhead)
 * @param maxPollRecords records fetched per poll
 * @param commitInterval how often finished offsets are committed
 * @param rampPeriod after the breaker closes, the in-flight limit grows back to max over this period
 * @param shutdownTimeout how long close() and a revocation wait for calls in flight
 * @param intake where the worker reads requests from and writes results to (behind the ledger or direct)
 */
public record WorkerConfig(
        KafkaSettings kafka,
        GatewayConfig gateway,
        RetryPolicy retry,
        BreakerSettings breaker,
        String groupId,
        int maxInFlight,
        int maxPollRecords,
        Duration commitInterval,
        Duration rampPeriod,
        Duration shutdownTimeout,
        int retryTopicPartitions,
        Intake intake) {

    public WorkerConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(gateway, "gateway");
        Objects.requireNonNull(retry, "retry");
        Objects.requireNonNull(breaker, "breaker");
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(intake, "intake");
        if (gateway.maxConnections() < maxInFlight) {
            throw new ConfigException("gateway.max-connections", "gateway.max-connections ("
                    + gateway.maxConnections() + ") must be >= worker.max-in-flight (" + maxInFlight
                    + "): every call in flight needs its own connection");
        }
    }

    /**
     * Where the worker sits. {@code LEDGER} (production default): it reads the ledger's
     * {@code payment-accepted} and publishes decisions to {@code payment-outcomes}, so the ledger's door
     * stops duplicates and conflicts before the gateway and its exit passes exactly one final result.
     * {@code DIRECT}: it reads {@code payment-requests} and publishes to {@code payment-results} itself
     * (results at-least-once, no de-duplication); for measuring the ledger's cost and for worker-only tests.
     */
    public enum Intake {
        LEDGER, DIRECT;

        /** The topic this worker takes new requests from. */
        public String requestsTopic(TopicLayout topics) {
            return this == LEDGER ? topics.accepted() : topics.requests();
        }

        /** The topic this worker publishes its decisions to. */
        public String resultsTopic(TopicLayout topics) {
            return this == LEDGER ? topics.outcomes() : topics.results();
        }
    }

    /**
     * Circuit breaker knobs (Resilience4j CircuitBreakerConfig). What counts as a failure and why the
     * defaults are what they are: docs/worker.md, "What the breaker counts".
     *
     * @param windowSize count-based window of recorded calls (default 200)
     * @param minimumCalls calls recorded before the failure rate is judged (default 50)
     * @param openWait time OPEN before probing (default 5 s)
     * @param halfOpenCalls probes let through when HALF_OPEN (default 20)
     * @param halfOpenMaxWait longest time in HALF_OPEN waiting for probes to answer, then OPEN again
     *     (default {@code gateway.response-timeout} + 1 s: every probe ends by its deadline first)
     */
    public record BreakerSettings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
            int windowSize, int minimumCalls, Duration openWait, int halfOpenCalls, Duration halfOpenMaxWait) {

        public BreakerSettings {
            Objects.requireNonNull(slowCallDuration, "slowCallDuration");
            Objects.requireNonNull(openWait, "openWait");
            Objects.requireNonNull(halfOpenMaxWait, "halfOpenMaxWait");
            if (minimumCalls > windowSize) {
                throw new ConfigException("breaker.minimum-calls", "breaker.minimum-calls (" + minimumCalls
                        + ") must be <= breaker.window-size (" + windowSize + ")");
            }
            if (halfOpenMaxWait.toMillis() < 1) {
                throw new ConfigException("breaker.half-open-max-wait", "breaker.half-open-max-wait must be >= 1ms, was "
                        + halfOpenMaxWait + ": an unbounded half-open wait lets one unanswered probe stop the fleet");
            }
        }

        /** The previous seven-knob shape; the half-open wait gets its default. */
        public BreakerSettings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
                int windowSize, int minimumCalls, Duration openWait, int halfOpenCalls) {
            this(failureRateThreshold, slowCallRateThreshold, slowCallDuration, windowSize, minimumCalls, openWait,
                    halfOpenCalls, DEFAULT_HALF_OPEN_MAX_WAIT);
        }

        /** The default half-open wait for the default 5 s {@code gateway.response-timeout}. */
        public static final Duration DEFAULT_HALF_OPEN_MAX_WAIT = Duration.ofSeconds(6);

        /** Longer than the call deadline, so half-open is judged on every probe's answer, not cut short. */
        public static Duration defaultHalfOpenMaxWait(Duration responseTimeout) {
            return responseTimeout.plusSeconds(1);
        }

        public static BreakerSettings defaults() {
            return new BreakerSettings(50, 80, Duration.ofSeconds(2), 200, 50, Duration.ofSeconds(5), 20,
                    DEFAULT_HALF_OPEN_MAX_WAIT);
        }

        public CircuitBreakerConfig toResilience4j(Clock clock) {
            return CircuitBreakerConfig.custom()
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .slowCallDurationThreshold(slowCallDuration)
                    .slidingWindow(windowSize, minimumCalls, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED)
                    .waitDurationInOpenState(openWait)
                    .permittedNumberOfCallsInHalfOpenState(halfOpenCalls)
                    // Every probe ends by its call deadline, so this wait only fires for a probe that never
                    // ends at all (a lost callback); with no proof of health the safe state is OPEN.
                    .maxWaitDurationInHalfOpenState(halfOpenMaxWait)
                    .transitionToStateAfterWaitDuration(CircuitBreaker.State.OPEN)
                    .automaticTransitionFromOpenToHalfOpenEnabled(true)
                    .clock(clock)
                    .build();
        }
    }

    /** Retry tier topic names and their delays, shortest first. */
    public Map<String, Duration> retryTierTopics() {
        Map<String, Duration> topics = new LinkedHashMap<>();
        for (Duration tier : retry.tiers()) {
            topics.put(kafka.topics().retryTier(tier), tier);
        }
        return topics;
    }

    /** Sensible defaults around a broker and a gateway (tests, demo). */
    public static WorkerConfig of(KafkaSettings kafka, GatewayConfig gateway) {
        return new WorkerConfig(kafka, gateway, RetryPolicy.defaults(), BreakerSettings.defaults(), "paypipe-worker",
                Math.min(1000, gateway.maxConnections()), 1000, Duration.ofMillis(200), Duration.ofSeconds(10), Duration.ofSeconds(30), 4, Intake.DIRECT);
    }

    public WorkerConfig withIntake(Intake mode) {
        return new WorkerConfig(kafka, gateway, retry, breaker, groupId, maxInFlight, maxPollRecords, commitInterval,
                rampPeriod, shutdownTimeout, retryTopicPartitions, mode);
    }

    public WorkerConfig withRetry(RetryPolicy policy) {
        return new WorkerConfig(kafka, gateway, policy, breaker, groupId, maxInFlight, maxPollRecords, commitInterval,
                rampPeriod, shutdownTimeout, retryTopicPartitions, intake);
    }

    public WorkerConfig withBreaker(BreakerSettings settings) {
        return new WorkerConfig(kafka, gateway, retry, settings, groupId, maxInFlight, maxPollRecords, commitInterval,
                rampPeriod, shutdownTimeout, retryTopicPartitions, intake);
    }

    public WorkerConfig withMaxInFlight(int max) {
        return new WorkerConfig(kafka, gateway, retry, breaker, groupId, max, maxPollRecords, commitInterval,
                rampPeriod, shutdownTimeout, retryTopicPartitions, intake);
    }

    public WorkerConfig withRampPeriod(Duration ramp) {
        return new WorkerConfig(kafka, gateway, retry, breaker, groupId, maxInFlight, maxPollRecords, commitInterval,
                ramp, shutdownTimeout, retryTopicPartitions, intake);
    }

    public static WorkerConfig from(ConfigSource c) {
        Duration minDur = Duration.ofMillis(1);
        Duration maxDur = Duration.ofDays(1);
        List<Duration> tiers = new ArrayList<>();
        String tierList = c.string("retry.tiers", "1s,5s,30s,2m,10m");
        for (String t : tierList.split(",")) {
            Duration d = ConfigSource.parseDuration(t.trim());
            if (d == null || d.isNegative() || d.isZero()) {
                throw new ConfigException("retry.tiers", "invalid config retry.tiers='" + tierList
                        + "': expected a comma-separated list of positive durations such as 1s,5s,30s,2m,10m");
            }
            tiers.add(d);
        }
        RetryPolicy retry;
        try {
            retry = new RetryPolicy(tiers,
                    c.duration("retry.base", Duration.ofMillis(500), minDur, maxDur),
                    c.duration("retry.cap", Duration.ofMinutes(10), minDur, maxDur),
                    c.intInRange("retry.max-attempts", 8, 1, 100));
        } catch (IllegalArgumentException e) {
            String key = e.getMessage().substring(0, Math.max(0, e.getMessage().indexOf(':')));
            throw new ConfigException(key, "invalid config " + e.getMessage());
        }
        GatewayConfig gateway = GatewayConfig.from(c);
        BreakerSettings breaker = new BreakerSettings(
                (float) c.doubleInRange("breaker.failure-rate-threshold", 50, 1, 100),
                (float) c.doubleInRange("breaker.slow-call-rate-threshold", 80, 1, 100),
                c.duration("breaker.slow-call-duration", Duration.ofSeconds(2), minDur, maxDur),
                c.intInRange("breaker.window-size", 200, 1, 100_000),
                c.intInRange("breaker.minimum-calls", 50, 1, 100_000),
                c.duration("breaker.open-wait", Duration.ofSeconds(5), minDur, maxDur),
                c.intInRange("breaker.half-open-calls", 20, 1, 1000),
                c.duration("breaker.half-open-max-wait", BreakerSettings.defaultHalfOpenMaxWait(gateway.responseTimeout()),
                        minDur, Duration.ofMinutes(10)));
        int maxInFlight = c.intInRange("worker.max-in-flight", 1000, 1, 100_000);
        return new WorkerConfig(KafkaSettings.from(c), gateway, retry, breaker,
                c.string("worker.group-id", "paypipe-worker"),
                maxInFlight,
                c.intInRange("worker.max-poll-records", 1000, 1, 100_000),
                c.duration("worker.commit-interval", Duration.ofMillis(200), minDur, Duration.ofMinutes(1)),
                c.duration("worker.ramp-period", Duration.ofSeconds(10), Duration.ZERO, Duration.ofHours(1)),
                c.duration("worker.shutdown-timeout", Duration.ofSeconds(30), minDur, Duration.ofHours(1)),
                c.intInRange("worker.retry-topic-partitions", 4, 1, 10_000),
                c.enumValue("worker.intake", Intake.class, Intake.LEDGER));
    }
}
