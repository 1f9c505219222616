package dev.paypipe.worker;

import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.ControlTopic;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusSource;
import dev.paypipe.dispatch.InFlightLimit;
import dev.paypipe.gateway.GuardedGateway;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.metrics.KafkaClientBinding;
import io.github.resilience4j.bulkhead.Bulkhead;
import io.github.resilience4j.bulkhead.BulkheadRegistry;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.micrometer.tagged.TaggedBulkheadMetrics;
import io.github.resilience4j.micrometer.tagged.TaggedCircuitBreakerMetrics;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A payment worker process: wires the Kafka clients, the gateway client behind its circuit breaker,
 * and the {@link PaymentLoop} on its own thread. Start with {@link #start()}, stop with
 * {@link #close()}, which finishes calls in flight and commits before returning.
 *
 * <p>It is the fleet's {@link ControlTarget}: a pause stops fetching and sending (calls in flight
 * finish, the consumer keeps polling), a breaker command acts on its gateway breaker. Its meters,
 * including the Kafka clients' and the breaker's, go to the registry it is given.
 */
public final class PaymentWorker implements AutoCloseable, ControlTarget {
    private static final Logger log = LoggerFactory.getLogger(PaymentWorker.class);

    private final WorkerConfig config;
    private final GuardedGateway gateway;
    private final KafkaProducer<String, byte[]> producer;
    private final KafkaConsumer<String, byte[]> consumer;
    private final PaymentLoop loop;
    private final WorkerMetrics metrics;
    private final InFlightLimit limit;
    private final Clock clock;
    private final AtomicLong breakerOpenMillis = new AtomicLong();
    private final List<AutoCloseable> clientMetrics = new ArrayList<>();
    private volatile long breakerOpenedAt;
    /** The operator pause in force, or null. */
    private volatile OperatorPause operatorPause;
    private Thread thread;

    /** Who paused this worker, why and when (for status). */
    public record OperatorPause(String reason, String by, Instant since) {
    }

    public PaymentWorker(WorkerConfig config, MeterRegistry registry) {
        this(config, new HttpPaymentGateway(config.gateway()), registry, Clock.systemUTC());
    }

    public PaymentWorker(WorkerConfig config, PaymentGateway rawGateway, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.metrics = new WorkerMetrics(registry);
        CircuitBreakerRegistry breakers = CircuitBreakerRegistry.of(config.breaker().toResilience4j(clock));
        CircuitBreaker breaker = breakers.circuitBreaker("gateway");
        BulkheadRegistry bulkheads = BulkheadRegistry.ofDefaults();
        Bulkhead bulkhead = bulkheads.bulkhead("gateway", GuardedGateway.bulkhead("gateway", config.maxInFlight())
                .getBulkheadConfig());
        this.gateway = new GuardedGateway(rawGateway, breaker, bulkhead);
        // resilience4j.circuitbreaker.state/calls/failure.rate/slow.call.rate and resilience4j.bulkhead.* {name=gateway}
        TaggedCircuitBreakerMetrics.ofCircuitBreakerRegistry(breakers).bindTo(registry);
        TaggedBulkheadMetrics.ofBulkheadRegistry(bulkheads).bindTo(registry);
        this.limit = new InFlightLimit(config.maxInFlight(), config.breaker().halfOpenCalls(), config.rampPeriod(), clock);
        // Which calls the logged rates are of: "time 4s" (the last seconds) or "count 200" (the last calls).
        String breakerWindow = describeWindow(breaker.getCircuitBreakerConfig());
        breaker.getEventPublisher().onStateTransition(event -> {
            CircuitBreaker.State to = event.getStateTransition().getToState();
            limit.onMode(switch (to) {
                case OPEN, FORCED_OPEN -> InFlightLimit.Mode.OPEN;
                case HALF_OPEN -> InFlightLimit.Mode.HALF_OPEN;
                default -> InFlightLimit.Mode.CLOSED;
            });
            trackOpenTime(to);
            log.atWarn().setMessage("circuit breaker state change")
                    .addKeyValue("event", "circuit_breaker_state_change")
                    .addKeyValue("from", event.getStateTransition().getFromState())
                    .addKeyValue("to", to)
                    .addKeyValue("failureRate", breaker.getMetrics().getFailureRate())
                    .addKeyValue("slowCallRate", breaker.getMetrics().getSlowCallRate())
                    .addKeyValue("bufferedCalls", breaker.getMetrics().getNumberOfBufferedCalls())
                    .addKeyValue("window", breakerWindow)
                    .log();
        });

        Map<String, Object> p = config.kafka().producerProperties("paypipe-worker-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());

        // Group protocol, session timeout and assignor: KafkaSettings.consumerProperties (fail-over in seconds).
        Map<String, Object> c = config.kafka().consumerProperties(config.groupId(),
                "paypipe-worker-" + ProcessHandle.current().pid());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());

        // Jitter is drawn on the loop thread only; ThreadLocalRandom.current() taken here would belong to this thread.
        PaymentProcessor processor = new PaymentProcessor(config.retry(), config.gateway().responseTimeout(), clock,
                new SplittableRandom());
        this.loop = new PaymentLoop(config, consumer, producer, gateway, processor, limit, metrics, clock);
        clientMetrics.add(KafkaClientBinding.bind(consumer, registry, "worker-main"));
        clientMetrics.add(KafkaClientBinding.bind(producer, registry, "worker-producer"));
        Gauge.builder("paypipe.worker.in.flight", loop, PaymentLoop::inFlight).register(registry);
        Gauge.builder("paypipe.worker.backlog", loop, PaymentLoop::backlog).register(registry);
        Gauge.builder("paypipe.worker.paused", this, w -> w.operatorPause == null ? 0 : 1)
                .description("1 while an operator pause is in force").register(registry);
        Gauge.builder("paypipe.breaker.open", breaker, b -> b.getState() == CircuitBreaker.State.CLOSED ? 0 : 1)
                .register(registry);
        Gauge.builder("paypipe.breaker.open.time", this, PaymentWorker::breakerOpenMillis)
                .description("time the breaker spent away from CLOSED since start").baseUnit("milliseconds")
                .register(registry);
        FunctionCounter.builder("paypipe.gateway.auth.failures", gateway, GuardedGateway::authFailures)
                .description("401/403 answers (each stops the fleet until a breaker reset)").register(registry);
    }

    private void trackOpenTime(CircuitBreaker.State to) {
        long now = clock.millis();
        if (to == CircuitBreaker.State.OPEN && breakerOpenedAt == 0) {
            breakerOpenedAt = now;
        } else if (to == CircuitBreaker.State.CLOSED && breakerOpenedAt != 0) {
            breakerOpenMillis.addAndGet(now - breakerOpenedAt);
            breakerOpenedAt = 0;
        }
    }

    /** Creates missing retry tier, dead-letter and control topics, then starts polling on a new thread. */
    public void start() {
        log.atInfo().setMessage("worker starting").addKeyValue("event", "worker_starting")
                .addKeyValue("gateway", config.gateway().toString()).addKeyValue("intake", config.intake())
                .addKeyValue("groupId", config.groupId()).addKeyValue("maxInFlight", config.maxInFlight())
                .addKeyValue("paused", operatorPause != null).log();
        ensureTopics(config);
        thread = new Thread(loop, "paypipe-worker");
        thread.setUncaughtExceptionHandler((t, e) -> log.atError().setMessage("worker loop crashed")
                .addKeyValue("event", "worker_crashed").addKeyValue("error", e.toString()).setCause(e).log());
        thread.start();
    }

    /** The topics a worker needs beside the pipeline's own: retry tiers, the request dead letters, the control topic. */
    static void ensureTopics(WorkerConfig config) {
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            List<TopicSpec> specs = new ArrayList<>();
            for (String topic : config.retryTierTopics().keySet()) {
                specs.add(TopicSpec.of(topic, config.retryTopicPartitions()));
            }
            specs.add(TopicSpec.of(config.kafka().topics().requestsDlq(), 1));
            specs.add(ControlTopic.spec(config.kafka().topics()));
            TopicAdmin.ensureTopics(admin, specs, replicationFactor(admin), Duration.ofSeconds(60));
        }
    }

    private static short replicationFactor(Admin admin) {
        try {
            int brokers = admin.describeCluster().nodes().get().size();
            return (short) Math.min(3, Math.max(1, brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the Kafka cluster", e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException("cannot describe the Kafka cluster: " + e.getCause(), e);
        }
    }

    /** Stops fetching for an operator pause (no rebalance: the consumer keeps polling). */
    public void pause() {
        pause("unspecified", "local");
    }

    /**
     * Operator pause: fetching stops on every partition (also on partitions assigned later), nothing
     * new is sent to the gateway, calls in flight finish. Idempotent; the first pause's time is kept.
     */
    @Override
    public void pause(String reason, String by) {
        OperatorPause current = operatorPause;
        Instant since = current == null ? clock.instant() : current.since();
        operatorPause = new OperatorPause(reason, by, since);
        loop.setOperatorPaused(true);
        if (current == null) {
            log.atWarn().setMessage("consumer paused by operator").addKeyValue("event", "consumer_paused")
                    .addKeyValue("by", by).addKeyValue("reason", reason).addKeyValue("inFlight", loop.inFlight())
                    .log();
        }
    }

    @Override
    public void resume() {
        OperatorPause was = operatorPause;
        operatorPause = null;
        loop.setOperatorPaused(false);
        if (was != null) {
            log.atWarn().setMessage("consumer resumed by operator").addKeyValue("event", "consumer_resumed")
                    .addKeyValue("pausedBy", was.by())
                    .addKeyValue("pausedMillis", Duration.between(was.since(), clock.instant()).toMillis()).log();
        }
    }

    /** {@code reset}: close and forget; {@code force-open}: no gateway calls until the next command; {@code auto}: the rules decide. */
    @Override
    public void breaker(BreakerMode mode) {
        switch (mode) {
            case RESET -> gateway.resetBreaker();
            case FORCE_OPEN -> gateway.forceOpen();
            case AUTO -> gateway.auto();
        }
        log.atWarn().setMessage("breaker command applied").addKeyValue("event", "breaker_command")
                .addKeyValue("mode", mode.cliName()).addKeyValue("state", breakerState()).log();
    }

    /** The operator pause in force, if any. */
    public Optional<OperatorPause> operatorPause() {
        return Optional.ofNullable(operatorPause);
    }

    /**
     * This worker's heartbeat for {@code paypipe status} and {@code /admin/status}: pause, breaker,
     * calls in flight, consumer lag per partition and retry backlog per tier (the lag of the tier
     * topics' partitions), read from gauges and client metrics, so any thread may call it.
     */
    public StatusSource statusSource(ProcessInstance instance) {
        return () -> {
            Map<String, Long> lag = KafkaClientBinding.lagByPartition(consumer);
            Map<String, Long> backlogByTier = new LinkedHashMap<>();
            config.retryTierTopics().keySet().forEach(topic -> backlogByTier.put(tierLabel(topic), 0L));
            lag.forEach((partition, records) -> {
                String topic = partition.substring(0, partition.lastIndexOf('-'));
                if (config.retryTierTopics().containsKey(topic)) {
                    backlogByTier.merge(tierLabel(topic), records, Long::sum);
                }
            });
            OperatorPause pause = operatorPause;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("intake", config.intake().name().toLowerCase(Locale.ROOT));
            details.put("backlog", Integer.toString(loop.backlog()));
            details.put("breakerOpenMillis", Long.toString(breakerOpenMillis()));
            details.put("authFailures", Long.toString(gateway.authFailures()));
            if (pause != null) {
                details.put("pausedSince", pause.since().toString());
            }
            return instance.report(clock.instant(), pause != null, pause == null ? null : pause.by(),
                    pause == null ? null : pause.reason(), breakerState().name(), loop.inFlight(), lag, backlogByTier,
                    details);
        };
    }

    private String tierLabel(String topic) {
        return topic.substring(config.kafka().topics().retryPrefix().length());
    }

    public boolean isAlive() {
        return thread != null && thread.isAlive();
    }

    public CircuitBreaker.State breakerState() {
        return gateway.breaker().getState();
    }

    /** Time the breaker spent away from CLOSED so far, in millis (including a current open spell). */
    public long breakerOpenMillis() {
        long open = breakerOpenedAt;
        return breakerOpenMillis.get() + (open == 0 ? 0 : clock.millis() - open);
    }

    /** Records dead-lettered to {@code payment-requests-dlq} so far. */
    public long deadLetters() {
        return metrics.deadLetters();
    }

    public Map<Duration, Long> retriesByTier() {
        return metrics.retriesByTier();
    }

    public int inFlight() {
        return loop.inFlight();
    }

    /** Records taken in and not yet handed to the gateway (queued or waiting behind their key). */
    public int backlog() {
        return loop.backlog();
    }

    @Override
    public void close() {
        loop.stop();
        if (thread != null) {
            try {
                thread.join(config.shutdownTimeout().toMillis() + 10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (AutoCloseable binding : clientMetrics) {
            try {
                binding.close();
            } catch (Exception e) {
                log.atDebug().setMessage("client metrics unbind failed").addKeyValue("error", e.toString()).log();
            }
        }
        // Leave at once, also as a static member (which by default stays until its session times out): the
        // loop has drained and committed, so the partitions can move now instead of after the session timeout.
        consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        producer.close(Duration.ofSeconds(10));
        gateway.close();
        log.atInfo().setMessage("worker stopped").addKeyValue("event", "worker_stopped")
                .addKeyValue("deadLetters", deadLetters()).log();
    }

    /** The breaker's window as an operator reads it next to its rates. */
    private static String describeWindow(CircuitBreakerConfig c) {
        return c.getSlidingWindowType() == CircuitBreakerConfig.SlidingWindowType.TIME_BASED
                ? "time " + c.getSlidingWindowSize() + "s" : "count " + c.getSlidingWindowSize();
    }
}
