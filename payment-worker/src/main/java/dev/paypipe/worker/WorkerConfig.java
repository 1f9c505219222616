package dev.paypipe.worker;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.config.ConfigType;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.retry.RetryPolicy;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import java.time.Clock;
import java.time.Duration;
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

    /** The {@code worker.*} keys. */
    public static final ConfigTable KEYS = new ConfigTable("worker", "The payment worker's consumer and bulkhead.");
    public static final ConfigKey<String> GROUP_ID = KEYS.key("worker.group-id").string("paypipe-worker")
            .nonBlank("a non-blank consumer group id").doc("Consumer group of the workers.");
    public static final ConfigKey<Integer> MAX_IN_FLIGHT = KEYS.key("worker.max-in-flight").integer(1000)
            .between(1, 100_000).doc("Gateway calls open at once per worker process (the bulkhead).");
    public static final ConfigKey<Integer> MAX_POLL_RECORDS = KEYS.key("worker.max-poll-records").integer(1000)
            .between(1, 100_000).doc("Records fetched per poll.");
    public static final ConfigKey<Duration> COMMIT_INTERVAL = KEYS.key("worker.commit-interval")
            .duration(Duration.ofMillis(200)).between(Duration.ofMillis(1), Duration.ofMinutes(1))
            .doc("How often finished offsets are committed.");
    public static final ConfigKey<Duration> RAMP_PERIOD = KEYS.key("worker.ramp-period").duration(Duration.ofSeconds(10))
            .between(Duration.ZERO, Duration.ofHours(1))
            .doc("After the breaker closes, in-flight grows back to max over this period.");
    public static final ConfigKey<Duration> SHUTDOWN_TIMEOUT = KEYS.key("worker.shutdown-timeout")
            .duration(Duration.ofSeconds(30)).between(Duration.ofMillis(1), Duration.ofHours(1))
            .doc("How long a shutdown or a revocation waits for calls in flight.");
    public static final ConfigKey<Integer> RETRY_TOPIC_PARTITIONS = KEYS.key("worker.retry-topic-partitions").integer(4)
            .between(1, 10_000).doc("Partitions of each retry tier topic the worker creates.");
    public static final ConfigKey<Intake> INTAKE = KEYS.key("worker.intake").oneOf(Intake.class, Intake.LEDGER)
            .doc("ledger: read payment-accepted, publish to payment-outcomes; direct: requests to results without a"
                    + " ledger.");

    /** The {@code retry.*} keys: tier topics and full-jitter backoff. */
    public static final ConfigTable RETRY_KEYS = new ConfigTable("retry",
            "Retry tiers and backoff: attempt n waits random(0, min(cap, base * 2^n)).");
    private static final Duration MAX_DURATION = Duration.ofDays(1);
    public static final ConfigKey<List<Duration>> RETRY_TIERS = RETRY_KEYS.key("retry.tiers")
            .durations(List.of(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                    Duration.ofMinutes(2), Duration.ofMinutes(10)))
            .check("positive, strictly increasing durations", WorkerConfig::positiveAndIncreasing)
            .doc("Retry tier topics payment-requests-retry-<delay>; a record waits in the smallest tier covering its"
                    + " delay.");
    public static final ConfigKey<Duration> RETRY_BASE = RETRY_KEYS.key("retry.base").duration(Duration.ofMillis(500))
            .between(Duration.ofMillis(1), MAX_DURATION).doc("Backoff base.");
    public static final ConfigKey<Duration> RETRY_CAP = RETRY_KEYS.key("retry.cap").duration(Duration.ofMinutes(10))
            .between(Duration.ofMillis(1), MAX_DURATION).doc("Backoff cap; at least retry.base.");
    public static final ConfigKey<Integer> RETRY_MAX_ATTEMPTS = RETRY_KEYS.key("retry.max-attempts").integer(8)
            .between(1, 100).doc("Gateway attempts per payment before FAILED or UNKNOWN.");

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
        if (breaker.windowType() == BreakerSettings.WindowType.TIME
                && breaker.window().compareTo(gateway.responseTimeout()) < 0) {
            throw new ConfigException(BreakerSettings.WINDOW.name(), "breaker.window ("
                    + ConfigType.formatDuration(breaker.window()) + ") must be >= gateway.response-timeout ("
                    + ConfigType.formatDuration(gateway.responseTimeout()) + "): a shorter window judges the deadline"
                    + " expiries of a burst of calls without their fast answers and opens the breaker on a fault mix"
                    + " that is not an outage; leave it unset for 2 x gateway.response-timeout");
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
     * @param windowType {@code TIME} (default): judge the calls that ended in the last {@code window};
     *     {@code COUNT}: judge the last {@code windowSize} calls
     * @param window time-based window, whole seconds (default 2 × {@code gateway.response-timeout}: it holds
     *     both the fast answers and the deadline expiries of the same burst of calls)
     * @param windowSize count-based window of recorded calls (default 200; only for {@code COUNT})
     * @param minimumCalls calls in the window before the failure rate is judged (default 50)
     * @param openWait time OPEN before probing (default 5 s)
     * @param halfOpenCalls probes let through when HALF_OPEN (default 20)
     * @param halfOpenMaxWait longest time in HALF_OPEN waiting for probes to answer, then OPEN again
     *     (default {@code gateway.response-timeout} + 1 s: every probe ends by its deadline first)
     */
    public record BreakerSettings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
            WindowType windowType, Duration window, int windowSize, int minimumCalls, Duration openWait,
            int halfOpenCalls, Duration halfOpenMaxWait) {

        /** What the breaker's sliding window holds. */
        public enum WindowType {
            /** The calls that ended in the last {@code breaker.window} (Resilience4j {@code TIME_BASED}). */
            TIME,
            /** The last {@code breaker.window-size} calls (Resilience4j {@code COUNT_BASED}). */
            COUNT
        }

        /** The {@code breaker.*} keys. */
        public static final ConfigTable KEYS = new ConfigTable("breaker",
                "The gateway circuit breaker (Resilience4j); what counts as a failure: docs/worker.md.");
        public static final ConfigKey<Double> FAILURE_RATE_THRESHOLD = KEYS.key("breaker.failure-rate-threshold")
                .decimal(50).between(1.0, 100.0).doc("Percent of failed calls in the window that opens the breaker.");
        public static final ConfigKey<Double> SLOW_CALL_RATE_THRESHOLD = KEYS.key("breaker.slow-call-rate-threshold")
                .decimal(80).between(1.0, 100.0).doc("Percent of slow calls in the window that opens the breaker.");
        public static final ConfigKey<Duration> SLOW_CALL_DURATION = KEYS.key("breaker.slow-call-duration")
                .duration(Duration.ofSeconds(2)).between(Duration.ofMillis(1), MAX_DURATION)
                .doc("A call slower than this counts as slow.");
        public static final ConfigKey<WindowType> WINDOW_TYPE = KEYS.key("breaker.window-type")
                .oneOf(WindowType.class, WindowType.TIME)
                .doc("time: judge the calls that ended in the last breaker.window; count: the last"
                        + " breaker.window-size calls.");
        public static final ConfigKey<Duration> WINDOW = KEYS.key("breaker.window").duration(null)
                .between(Duration.ofSeconds(1), Duration.ofHours(1))
                .check("a whole number of seconds", d -> d.getNano() == 0)
                .defaultText("twice gateway.response-timeout, rounded up to whole seconds")
                .doc("Time-based window (window-type time); at least gateway.response-timeout, so that it holds a"
                        + " burst's fast answers with its deadline expiries.");
        public static final ConfigKey<Integer> WINDOW_SIZE = KEYS.key("breaker.window-size").integer(200)
                .between(1, 100_000).doc("Count-based window (window-type count) of recorded calls.");
        public static final ConfigKey<Integer> MINIMUM_CALLS = KEYS.key("breaker.minimum-calls").integer(50)
                .between(1, 100_000).doc("Calls in the window before the rates are judged; with window-type count at"
                        + " most breaker.window-size.");
        public static final ConfigKey<Duration> OPEN_WAIT = KEYS.key("breaker.open-wait").duration(Duration.ofSeconds(5))
                .between(Duration.ofMillis(1), MAX_DURATION).doc("Time OPEN before probing.");
        public static final ConfigKey<Integer> HALF_OPEN_CALLS = KEYS.key("breaker.half-open-calls").integer(20)
                .between(1, 1000).doc("Probes let through when HALF_OPEN.");
        public static final ConfigKey<Duration> HALF_OPEN_MAX_WAIT = KEYS.key("breaker.half-open-max-wait")
                .duration(null).between(Duration.ofMillis(1), Duration.ofMinutes(10))
                .defaultText("gateway.response-timeout + 1s")
                .doc("Longest wait in HALF_OPEN for the probes to answer, then OPEN again.");

        /** The default call deadline ({@code gateway.response-timeout}) the constant defaults below are for. */
        private static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofSeconds(5);
        /** The default half-open wait for the default 5 s {@code gateway.response-timeout}. */
        public static final Duration DEFAULT_HALF_OPEN_MAX_WAIT = Duration.ofSeconds(6);
        /** The default time-based window for the default 5 s {@code gateway.response-timeout}. */
        public static final Duration DEFAULT_WINDOW = Duration.ofSeconds(10);

        public BreakerSettings {
            Objects.requireNonNull(slowCallDuration, "slowCallDuration");
            Objects.requireNonNull(windowType, "windowType");
            Objects.requireNonNull(window, "window");
            Objects.requireNonNull(openWait, "openWait");
            Objects.requireNonNull(halfOpenMaxWait, "halfOpenMaxWait");
            WINDOW.check(window);
            if (windowType == WindowType.COUNT && minimumCalls > windowSize) {
                throw new ConfigException("breaker.minimum-calls", "breaker.minimum-calls (" + minimumCalls
                        + ") must be <= breaker.window-size (" + windowSize + ") with breaker.window-type=count");
            }
            if (halfOpenMaxWait.toMillis() < 1) {
                throw new ConfigException("breaker.half-open-max-wait", "breaker.half-open-max-wait must be >= 1ms, was "
                        + halfOpenMaxWait + ": an unbounded half-open wait lets one unanswered probe stop the fleet");
            }
        }

        /** The shape before {@code breaker.window-type}: a count-based window of {@code windowSize} calls. */
        public BreakerSettings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
                int windowSize, int minimumCalls, Duration openWait, int halfOpenCalls, Duration halfOpenMaxWait) {
            this(failureRateThreshold, slowCallRateThreshold, slowCallDuration, WindowType.COUNT, DEFAULT_WINDOW,
                    windowSize, minimumCalls, openWait, halfOpenCalls, halfOpenMaxWait);
        }

        /** The previous seven-knob shape (count-based); the half-open wait gets its default. */
        public BreakerSettings(float failureRateThreshold, float slowCallRateThreshold, Duration slowCallDuration,
                int windowSize, int minimumCalls, Duration openWait, int halfOpenCalls) {
            this(failureRateThreshold, slowCallRateThreshold, slowCallDuration, windowSize, minimumCalls, openWait,
                    halfOpenCalls, DEFAULT_HALF_OPEN_MAX_WAIT);
        }

        /** Longer than the call deadline, so half-open is judged on every probe's answer, not cut short. */
        public static Duration defaultHalfOpenMaxWait(Duration responseTimeout) {
            return responseTimeout.plusSeconds(1);
        }

        /** Twice the call deadline in whole seconds: a burst's fast answers and its expiries fall in one window. */
        public static Duration defaultWindow(Duration responseTimeout) {
            long millis = responseTimeout.multipliedBy(2).toMillis();
            return Duration.ofSeconds(Math.max(1, (millis + 999) / 1000));
        }

        /** The defaults for the default 5 s {@code gateway.response-timeout}. */
        public static BreakerSettings defaults() {
            return defaults(DEFAULT_RESPONSE_TIMEOUT);
        }

        /** The defaults, with the window and the half-open wait derived from the call deadline. */
        public static BreakerSettings defaults(Duration responseTimeout) {
            return new BreakerSettings(50, 80, Duration.ofSeconds(2), WindowType.TIME, defaultWindow(responseTimeout),
                    200, 50, Duration.ofSeconds(5), 20, defaultHalfOpenMaxWait(responseTimeout));
        }

        /** The same breaker, probing after {@code wait} in OPEN. */
        public BreakerSettings withOpenWait(Duration wait) {
            return new BreakerSettings(failureRateThreshold, slowCallRateThreshold, slowCallDuration, windowType, window,
                    windowSize, minimumCalls, wait, halfOpenCalls, halfOpenMaxWait);
        }

        /** The same breaker judging the last {@code size} calls instead of a time window. */
        public BreakerSettings withCountWindow(int size) {
            return new BreakerSettings(failureRateThreshold, slowCallRateThreshold, slowCallDuration, WindowType.COUNT,
                    window, size, minimumCalls, openWait, halfOpenCalls, halfOpenMaxWait);
        }

        public CircuitBreakerConfig toResilience4j(Clock clock) {
            CircuitBreakerConfig.Builder config = CircuitBreakerConfig.custom();
            if (windowType == WindowType.TIME) {
                // Resilience4j counts the time window in whole seconds of the breaker's clock, and, unlike
                // a count window, does not cap minimumCalls by the window.
                config.slidingWindow(Math.toIntExact(window.toSeconds()), minimumCalls,
                        CircuitBreakerConfig.SlidingWindowType.TIME_BASED);
            } else {
                config.slidingWindow(windowSize, minimumCalls, CircuitBreakerConfig.SlidingWindowType.COUNT_BASED);
            }
            return config
                    .failureRateThreshold(failureRateThreshold)
                    .slowCallRateThreshold(slowCallRateThreshold)
                    .slowCallDurationThreshold(slowCallDuration)
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
        return new WorkerConfig(kafka, gateway, RetryPolicy.defaults(), BreakerSettings.defaults(gateway.responseTimeout()),
                "paypipe-worker",
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
        Duration base = c.get(RETRY_BASE);
        Duration cap = c.get(RETRY_CAP);
        if (cap.compareTo(base) < 0) {
            throw new ConfigException(RETRY_CAP.name(), "invalid config retry.cap='" + ConfigType.formatDuration(cap)
                    + "': expected a duration >= retry.base (" + ConfigType.formatDuration(base) + ")");
        }
        RetryPolicy retry = new RetryPolicy(c.get(RETRY_TIERS), base, cap, c.get(RETRY_MAX_ATTEMPTS));
        GatewayConfig gateway = GatewayConfig.from(c);
        BreakerSettings breaker = new BreakerSettings(
                c.get(BreakerSettings.FAILURE_RATE_THRESHOLD).floatValue(),
                c.get(BreakerSettings.SLOW_CALL_RATE_THRESHOLD).floatValue(),
                c.get(BreakerSettings.SLOW_CALL_DURATION),
                c.get(BreakerSettings.WINDOW_TYPE),
                c.get(BreakerSettings.WINDOW, BreakerSettings.defaultWindow(gateway.responseTimeout())),
                c.get(BreakerSettings.WINDOW_SIZE),
                c.get(BreakerSettings.MINIMUM_CALLS),
                c.get(BreakerSettings.OPEN_WAIT),
                c.get(BreakerSettings.HALF_OPEN_CALLS),
                c.get(BreakerSettings.HALF_OPEN_MAX_WAIT,
                        BreakerSettings.defaultHalfOpenMaxWait(gateway.responseTimeout())));
        return new WorkerConfig(KafkaSettings.from(c), gateway, retry, breaker, c.get(GROUP_ID), c.get(MAX_IN_FLIGHT),
                c.get(MAX_POLL_RECORDS), c.get(COMMIT_INTERVAL), c.get(RAMP_PERIOD), c.get(SHUTDOWN_TIMEOUT),
                c.get(RETRY_TOPIC_PARTITIONS), c.get(INTAKE));
    }

    private static boolean positiveAndIncreasing(List<Duration> tiers) {
        Duration previous = Duration.ZERO;
        for (Duration tier : tiers) {
            if (tier.compareTo(previous) <= 0) {
                return false;
            }
            previous = tier;
        }
        return true;
    }
}
