package dev.paypipe.worker;

import dev.paypipe.dispatch.InFlightLimit;
import dev.paypipe.dispatch.KeySequencer;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.GatewayOutcome;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.processing.Decision;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.model.RequestCheck;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The poll loop of one payment worker: poll → decode → hand to the gateway (bounded, ordered per
 * key) → publish the decision → commit below the oldest unfinished offset.
 *
 * <p>One thread owns the consumer and all bookkeeping; gateway and producer callbacks only enqueue
 * finished work for it. Fetching stops (partitions paused, polling continues, so no rebalance)
 * while the backlog is full, while the breaker is open, while an operator has paused the worker,
 * and, per retry-tier partition, while its head record is not yet due.
 */
public final class PaymentLoop implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(PaymentLoop.class);
    private static final Duration BUSY_POLL = Duration.ofMillis(5);
    private static final Duration IDLE_POLL = Duration.ofMillis(50);

    private final WorkerConfig config;
    private final Consumer<String, byte[]> consumer;
    private final Producer<String, byte[]> producer;
    private final PaymentGateway gateway;
    private final PaymentProcessor processor;
    private final InFlightLimit limit;
    private final OutputRecords outputs;
    private final WorkerMetrics metrics;
    private final Clock clock;

    private final AssignedPartitions partitions;
    private final KeySequencer<Work> sequencer = new KeySequencer<>();
    private final ArrayDeque<Work> ready = new ArrayDeque<>();
    private final LinkedBlockingQueue<Work> completions = new LinkedBlockingQueue<>();
    private final ConcurrentLinkedQueue<Work> acks = new ConcurrentLinkedQueue<>();
    private final ConcurrentLinkedQueue<FailedSend> failedSends = new ConcurrentLinkedQueue<>();
    private final int maxBacklog;

    private volatile boolean running = true;
    private volatile boolean operatorPaused;
    private volatile int inFlight;

    private record FailedSend(Work work, ProducerRecord<String, byte[]> record, Exception error) {
    }

    PaymentLoop(WorkerConfig config, Consumer<String, byte[]> consumer, Producer<String, byte[]> producer,
            PaymentGateway gateway, PaymentProcessor processor, InFlightLimit limit, WorkerMetrics metrics, Clock clock) {
        this.config = config;
        this.consumer = consumer;
        this.producer = producer;
        this.gateway = gateway;
        this.processor = processor;
        this.limit = limit;
        this.outputs = new OutputRecords(config.kafka().topics(), config.intake(), clock);
        this.metrics = metrics;
        this.clock = clock;
        this.maxBacklog = Math.max(config.maxPollRecords(), config.maxInFlight()) * 2;
        Map<String, Long> tierDelays = new HashMap<>();
        config.retryTierTopics().forEach((topic, delay) -> tierDelays.put(topic, delay.toMillis()));
        this.partitions = new AssignedPartitions(consumer, tierDelays, config.commitInterval(), clock);
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
            shutdownGracefully();
        }
    }

    /** Subscribes to {@link #topics()} with the rebalance listener; package-private so tests can drive {@link #step()}. */
    void subscribe() {
        consumer.subscribe(topics(), new Rebalance());
    }

    /** One turn of the loop; package-private so tests can drive it with a MockConsumer. */
    void step() {
        drainFinished();
        dispatch();
        partitions.updatePauses(fetchingStopped());
        partitions.maybeCommit();
        ConsumerRecords<String, byte[]> records = consumer.poll(inFlight > 0 || !ready.isEmpty() ? BUSY_POLL : IDLE_POLL);
        if (!records.isEmpty()) {
            accept(records);
        }
    }

    void stop() {
        running = false;
        consumer.wakeup();
    }

    void setOperatorPaused(boolean paused) {
        operatorPaused = paused;
    }

    int inFlight() {
        return inFlight;
    }

    int backlog() {
        return ready.size() + sequencer.waiting();
    }

    // ------------------------------------------------------------------ intake

    private void accept(ConsumerRecords<String, byte[]> records) {
        long now = clock.millis();
        for (TopicPartition tp : records.partitions()) {
            PartitionState ps = partitions.get(tp);
            if (ps == null || ps.revoked) {
                continue;
            }
            for (ConsumerRecord<String, byte[]> record : records.records(tp)) {
                if (ps.retryTier) {
                    long due = PaymentHeaders.longValue(record.headers(), PaymentHeaders.DUE_AT, 0);
                    if (due > now) {
                        if (ps.heldOffset == record.offset() && now - ps.heldSince >= ps.tierDelayMillis) {
                            // Due later than its tier allows (a Retry-After beyond the longest tier, or clock
                            // skew): it has held up this partition for a full tier delay, so it goes to the back.
                            forward(new Work(record, ps, ps.offsets.track(record.offset())));
                            continue;
                        }
                        if (ps.heldOffset != record.offset()) {
                            ps.heldOffset = record.offset();
                            ps.heldSince = now;
                        }
                        // Not yet due: rewind to it and stop fetching this partition until then, but never
                        // longer than the tier's delay, so records behind it wait at most that long.
                        ps.waitingUntil = Math.min(due, ps.heldSince + ps.tierDelayMillis);
                        consumer.seek(tp, record.offset());
                        consumer.pause(List.of(tp));
                        break;
                    }
                }
                admit(new Work(record, ps, ps.offsets.track(record.offset())));
            }
        }
    }

    /** Re-publishes a retry record unchanged to the end of its own tier topic. */
    private void forward(Work work) {
        work.partition.active++;
        ConsumerRecord<String, byte[]> r = work.record;
        send(work, new ProducerRecord<>(r.topic(), null, r.key(), r.value(), r.headers()), true);
    }

    private void admit(Work work) {
        RequestCheck check = PaymentJson.decodeRequest(work.record.value());
        if (!check.isValid()) {
            String fallback = work.record.key() != null && !work.record.key().isEmpty() ? work.record.key()
                    : "invalid:" + work.origin();
            log.warn("event=payment_rejected origin={} problems=\"{}\"", work.origin(), check.describeProblems());
            apply(work, processor.rejectInvalid(check, fallback));
            return;
        }
        work.request = check.request();
        if (work.partition.retryTier) {
            work.history = RetryHeaders.history(work.record.headers());
        }
        if (sequencer.tryStart(work.key(), work)) {
            work.holdsKey = true;
            ready.addLast(work);
        }
    }

    // ------------------------------------------------------------------ gateway calls

    private void dispatch() {
        int max = limit.current();
        Work work;
        while (inFlight < max && (work = ready.pollFirst()) != null) {
            if (work.partition.revoked || work.partition.draining) {
                // Handed back: the partition's new owner processes it again from the committed offset.
                releaseKey(work);
                continue;
            }
            inFlight++;
            work.partition.active++;
            work.dispatched = true;
            work.sentAtMillis = clock.millis();
            Work w = work;
            if (w.history.ambiguous()) {
                gateway.lookup(w.key()).thenAccept(result -> {
                    w.lookup = result;
                    completions.add(w);
                });
            } else {
                startCharge(w);
            }
        }
    }

    private void startCharge(Work w) {
        gateway.charge(w.request).thenAccept(outcome -> {
            w.outcome = outcome;
            completions.add(w);
        });
    }

    private void drainFinished() {
        Work work;
        while ((work = completions.poll()) != null) {
            onGatewayAnswer(work);
        }
        drainAcks();
    }

    private void drainAcks() {
        Work work;
        while ((work = acks.poll()) != null) {
            if (--work.pendingSends == 0) {
                work.partition.active--;
                if (!work.partition.revoked) {
                    work.partition.offsets.finish(work.slot);
                }
            }
        }
        FailedSend failed;
        while ((failed = failedSends.poll()) != null) {
            // Never drop an output: the offset stays uncommitted and the record is sent again.
            log.error("event=publish_failed topic={} key={} error=\"{}\": retrying; offsets stay uncommitted",
                    failed.record().topic(), failed.record().key(), failed.error().toString());
            send(failed.work(), failed.record(), false);
        }
    }

    private void onGatewayAnswer(Work work) {
        metrics.gatewayLatency(clock.millis() - work.sentAtMillis);
        ChargeLookup lookup = work.lookup;
        GatewayOutcome outcome = work.outcome;
        work.lookup = null;
        work.outcome = null;
        Decision decision;
        if (lookup != null) {
            if (lookup instanceof ChargeLookup.Failed f && isRefusal(f.errorClass())) {
                requeue(work);
                return;
            }
            metrics.lookup();
            decision = processor.afterLookup(work.request, work.history, lookup, work.sentAtMillis);
            if (decision instanceof Decision.ChargeAgain again) {
                // The gateway has no charge for this key: charge now, in the same in-flight slot.
                work.history = again.history();
                work.sentAtMillis = clock.millis();
                startCharge(work);
                return;
            }
        } else {
            if (outcome instanceof GatewayOutcome.Retryable r && isRefusal(r.errorClass())) {
                requeue(work);
                return;
            }
            metrics.chargeCall();
            decision = processor.afterCharge(work.request, work.history, outcome, work.sentAtMillis);
        }
        inFlight--;
        apply(work, decision);
    }

    /** The breaker or the bulkhead refused the call before it was made. */
    private static boolean isRefusal(String errorClass) {
        return "breaker_open".equals(errorClass) || "bulkhead_full".equals(errorClass);
    }

    /** The call was refused before it was made: no attempt used, back to the front of the queue. */
    private void requeue(Work work) {
        inFlight--;
        work.partition.active--;
        work.dispatched = false;
        ready.addFirst(work);
    }

    // ------------------------------------------------------------------ outputs

    private void apply(Work work, Decision decision) {
        if (!work.dispatched) {
            work.partition.active++; // dispatched work is already counted until its outputs are acknowledged
        }
        if (decision instanceof Decision.Finish finish) {
            send(work, outputs.result(finish.result()), true);
            metrics.result(finish.result().status());
            if (finish.deadLetter() != null) {
                send(work, outputs.deadLetter(work, finish.deadLetter()), true);
                metrics.deadLetter();
            }
        } else {
            Decision.Retry retry = (Decision.Retry) decision;
            send(work, outputs.retry(work, retry), true);
            if (config.intake() == WorkerConfig.Intake.LEDGER) {
                send(work, outputs.progress(work, retry), true);
            }
            metrics.retry(retry.tier());
        }
        releaseKey(work);
    }

    private void send(Work work, ProducerRecord<String, byte[]> record, boolean fresh) {
        if (fresh) {
            work.pendingSends++;
        }
        producer.send(record, (metadata, error) -> {
            if (error == null) {
                acks.add(work);
            } else {
                failedSends.add(new FailedSend(work, record, error));
            }
        });
    }

    private void releaseKey(Work work) {
        if (!work.holdsKey) {
            return;
        }
        work.holdsKey = false;
        Work next = sequencer.release(work.key());
        if (next != null) {
            next.holdsKey = true;
            ready.addLast(next);
        }
    }

    // ------------------------------------------------------------------ pausing and commits

    private boolean fetchingStopped() {
        return operatorPaused || limit.mode() == InFlightLimit.Mode.OPEN || backlog() >= maxBacklog;
    }

    /**
     * Lets the calls in flight for {@code states} finish and their outputs be acknowledged, up to the
     * shutdown timeout, then commits what finished. Work not yet started is handed back.
     */
    private void drainAndCommit(Collection<PartitionState> states) {
        for (PartitionState ps : states) {
            ps.draining = true;
        }
        long deadline = System.nanoTime() + config.shutdownTimeout().toNanos();
        producer.flush();
        while (System.nanoTime() < deadline && states.stream().anyMatch(ps -> ps.active > 0)) {
            try {
                Work done = completions.poll(10, TimeUnit.MILLISECONDS);
                if (done != null) {
                    onGatewayAnswer(done);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            drainFinished();
            dispatch(); // hands back queued work of draining partitions
        }
        long stillActive = states.stream().mapToLong(ps -> ps.active).sum();
        if (stillActive > 0) {
            log.warn("event=drain_timeout active={} timeout={}: those records will be processed again by the "
                    + "next owner (safe: the idempotency key is the payment id)", stillActive, config.shutdownTimeout());
        }
        partitions.commitNow(states);
    }

    private void shutdownGracefully() {
        try {
            consumer.pause(consumer.assignment());
            try {
                // Consumes a pending wakeup, which would otherwise abort the final commit.
                consumer.poll(Duration.ZERO);
            } catch (WakeupException expected) {
                // the wakeup that stopped the loop
            }
            drainAndCommit(partitions.all());
        } catch (RuntimeException e) {
            log.warn("event=shutdown_incomplete error=\"{}\"", e.toString());
        }
    }

    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            if (revoked.isEmpty()) {
                return;
            }
            List<PartitionState> leaving = new ArrayList<>();
            for (TopicPartition tp : revoked) {
                PartitionState ps = partitions.get(tp);
                if (ps != null) {
                    leaving.add(ps);
                }
            }
            drainAndCommit(leaving);
            for (PartitionState ps : leaving) {
                ps.revoked = true;
                partitions.remove(ps.tp);
            }
            log.info("event=partitions_revoked partitions={}", revoked);
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            for (TopicPartition tp : lost) {
                PartitionState ps = partitions.remove(tp);
                if (ps != null) {
                    ps.revoked = true;
                }
            }
            log.warn("event=partitions_lost partitions={}", lost);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            Set<TopicPartition> pauseNow = new HashSet<>();
            for (TopicPartition tp : assigned) {
                partitions.add(tp);
                if (fetchingStopped()) {
                    pauseNow.add(tp);
                }
            }
            if (!pauseNow.isEmpty()) {
                // Re-apply the fleet or breaker pause before the first fetch of the new partitions.
                consumer.pause(pauseNow);
            }
            log.info("event=partitions_assigned partitions={}", assigned);
        }
    }
}
