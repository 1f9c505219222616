package dev.paypipe.worker;

import dev.paypipe.dispatch.InFlightLimit;
import dev.paypipe.gateway.GuardedGateway;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.processing.PaymentProcessor;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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
 */
public final class PaymentWorker implements AutoCloseable {
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
    private volatile long breakerOpenedAt;
    private Thread thread;

    public PaymentWorker(WorkerConfig config, MeterRegistry registry) {
        this(config, new HttpPaymentGateway(config.gateway()), registry, Clock.systemUTC());
    }

    public PaymentWorker(WorkerConfig config, PaymentGateway rawGateway, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.metrics = new WorkerMetrics(registry);
        CircuitBreaker breaker = CircuitBreaker.of("gateway", config.breaker().toResilience4j(clock));
        this.gateway = new GuardedGateway(rawGateway, breaker,
                GuardedGateway.bulkhead("gateway", config.maxInFlight()));
        this.limit = new InFlightLimit(config.maxInFlight(), config.breaker().halfOpenCalls(), config.rampPeriod(), clock);
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
                    .log();
        });

        Map<String, Object> p = config.kafka().producerProperties("paypipe-worker-producer");
        p.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, 256 * 1024);
        this.producer = new KafkaProducer<>(p, new StringSerializer(), new ByteArraySerializer());

        Map<String, Object> c = config.kafka().clientProperties();
        c.put(ConsumerConfig.GROUP_ID_CONFIG, config.groupId());
        c.put(ConsumerConfig.CLIENT_ID_CONFIG, "paypipe-worker-" + ProcessHandle.current().pid());
        c.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        c.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        c.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, config.maxPollRecords());
        c.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        c.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, CooperativeStickyAssignor.class.getName());
        this.consumer = new KafkaConsumer<>(c, new StringDeserializer(), new ByteArrayDeserializer());

        // Jitter is drawn on the loop thread only; ThreadLocalRandom.current() taken here would belong to this thread.
        PaymentProcessor processor = new PaymentProcessor(config.retry(), config.gateway().responseTimeout(), clock,
                new SplittableRandom());
        this.loop = new PaymentLoop(config, consumer, producer, gateway, processor, limit, metrics, clock);
        Gauge.builder("paypipe.worker.in.flight", loop, PaymentLoop::inFlight).register(registry);
        Gauge.builder("paypipe.worker.backlog", loop, PaymentLoop::backlog).register(registry);
        Gauge.builder("paypipe.breaker.open", breaker, b -> b.getState() == CircuitBreaker.State.CLOSED ? 0 : 1)
                .register(registry);
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

    /** Creates missing retry tier and dead-letter topics, then starts polling on a new thread. */
    public void start() {
        log.info("event=worker_starting config={}", config.gateway());
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            List<TopicSpec> specs = new ArrayList<>();
            for (String topic : config.retryTierTopics().keySet()) {
                specs.add(TopicSpec.of(topic, config.retryTopicPartitions()));
            }
            specs.add(TopicSpec.of(config.kafka().topics().requestsDlq(), 1));
            TopicAdmin.ensureTopics(admin, specs, replicationFactor(admin), Duration.ofSeconds(60));
        }
        thread = new Thread(loop, "paypipe-worker");
        thread.setUncaughtExceptionHandler((t, e) -> log.error("event=worker_crashed error=\"{}\"", e.toString(), e));
        thread.start();
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
        loop.setOperatorPaused(true);
    }

    public void resume() {
        loop.setOperatorPaused(false);
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
        consumer.close(Duration.ofSeconds(5));
        producer.close(Duration.ofSeconds(10));
        gateway.close();
        log.info("event=worker_stopped");
    }
}
