package dev.paypipe.worker;

import dev.paypipe.dispatch.InFlightLimit;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.errors.WakeupException;

/**
 * The poll loop of one payment worker: poll → decode → hand to the gateway (bounded, ordered per
 * key) → publish the decision → commit below the oldest unfinished offset.
 *
 * <p>The loop only wires its rooms and turns them in order: {@link RecordIntake} (decode and tier
 * gate), {@link Dispatcher} (in flight, order per key, gateway answers), {@link OutputPublisher}
 * (sends and acks), {@link AssignedPartitions} (pauses and commits) and {@link PartitionHandover}
 * (rebalance and drain). One thread owns the consumer and all bookkeeping; gateway and producer
 * callbacks only enqueue finished work for it. Fetching stops (partitions paused, polling continues,
 * so no rebalance) while the backlog is full, while the breaker is open, while an operator has paused
 * the worker, and, per retry-tier partition, while its head record is not yet due. An operator pause
 * also holds the backlog: no new gateway call starts until resume.
 */
public final class PaymentLoop implements Runnable {
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);

    private final WorkerConfig config;
    private final Consumer<String, byte[]> consumer;
    private final InFlightLimit limit;
    private final int maxBacklog;

    private final AssignedPartitions partitions;
    private final OutputPublisher outputs;
    private final Dispatcher dispatcher;
    private final RecordIntake intake;
    private final PartitionHandover handover;

    private volatile boolean running = true;
    private volatile boolean operatorPaused;

    PaymentLoop(WorkerConfig config, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
            PaymentGateway gateway, PaymentProcessor processor, InFlightLimit limit, WorkerMetrics metrics, Clock clock) {
        this.config = config;
        this.consumer = consumer;
        this.limit = limit;
        this.maxBacklog = Math.max(config.maxPollRecords(), config.maxInFlight()) * 2;
        Map<String, Long> tierDelays = new HashMap<>();
        config.retryTierTopics().forEach((topic, delay) -> tierDelays.put(topic, delay.toMillis()));
        this.partitions = new AssignedPartitions(consumer, tierDelays, config.commitInterval(), clock);
        this.outputs = new OutputPublisher(producer, new OutputRecords(config.kafka().topics(), config.intake(), clock),
                metrics, config.intake() == WorkerConfig.Intake.LEDGER);
        this.dispatcher = new Dispatcher(gateway, processor, metrics, clock, outputs);
        this.intake = new RecordIntake(partitions, new TierGate(clock), processor, consumer, new RecordIntake.Handoff() {
            @Override
            public void admit(Work work) {
                dispatcher.admit(work);
            }

            @Override
            public void finish(Work work, Decision decision) {
                outputs.publish(work, decision);
            }

            @Override
            public void sendToBack(Work work) {
                outputs.sendToBack(work);
            }
        });
        this.handover = new PartitionHandover(partitions, consumer, this::fetchingStopped, outputs::flush, this::pump,
                config.shutdownTimeout(), clock);
    }

    /** The topics this loop consumes: requests and every retry tier. */
    List<String> topics() {
        List<String> topics = new ArrayList<>();
        topics.add(config.intake().requestsTopic(config.kafka().topics()));
        topics.addAll(config.retryTierTopics().keySet());
        return topics;
    }

    @Override
    public void run() {
        subscribe();
        try {
            while (running) {
                step();
            }
        } catch (WakeupException e) {
            if (running) {
                throw e;
            }
        } finally {
            handover.shutdown();
        }
    }

    /** Subscribes to {@link #topics()} with the rebalance listener; package-private so tests can drive {@link #step()}. */
    void subscribe() {
        consumer.subscribe(topics(), handover);
    }

    /** One turn of the loop; package-private so tests can drive it with a MockConsumer. */
    void step() {
        dispatcher.drainCompletions();
        outputs.drainAcks();
        dispatcher.dispatch(dispatchLimit());
        partitions.updatePauses(fetchingStopped());
        partitions.maybeCommit();
        ConsumerRecords<String, byte[]> records = consumer.poll(dispatcher.busy() ? BUSY_POLL : IDLE_POLL);
        if (!records.isEmpty()) {
            intake.accept(records);
        }
    }

    /** While a drain waits: one gateway answer (up to {@code maxWaitMillis}), then answers, acks and hand-backs. */
    private void pump(long maxWaitMillis) throws InterruptedException {
        dispatcher.awaitCompletion(maxWaitMillis);
        dispatcher.drainCompletions();
        outputs.drainAcks();
        dispatcher.dispatch(dispatchLimit()); // hands back queued work of draining partitions
    }

    /**
     * Calls allowed open now. An operator pause sends nothing new (work already taken in waits in the
     * backlog, calls in flight finish): operators pause because the gateway must not be called.
     */
    private int dispatchLimit() {
        return operatorPaused ? 0 : limit.current();
    }

    private boolean fetchingStopped() {
        return operatorPaused || limit.mode() == InFlightLimit.Mode.OPEN || dispatcher.backlog() >= maxBacklog;
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    void setOperatorPaused(boolean paused) {
        operatorPaused = paused;
    }

    int inFlight() {
        return dispatcher.inFlight();
    }

    int backlog() {
        return dispatcher.backlog();
    }
}
