package dev.paypipe.reconcile;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.json.MalformedResultException;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.processing.PaymentProcessor;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Semaphore;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code paypipe reconcile}: reads {@code payment-results} up to its current end, finds payments whose
 * latest result is UNKNOWN, looks each one up at the gateway by idempotency key, and publishes the
 * settled result where the gateway has a charge. The db-writer lets a settled result replace UNKNOWN.
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);

    /** What a run found and did. */
    public record Report(long resultsRead, int unknown, int approved, int declined, int stillUnknown, int lookupFailures) {
    }

    private final KafkaSettings kafka;
    private final PaymentGateway gateway;
    private final PaymentProcessor processor;
    private final int concurrency;

    public Reconciler(KafkaSettings kafka, PaymentGateway gateway, PaymentProcessor processor, int concurrency) {
        this.kafka = kafka;
        this.gateway = gateway;
        this.processor = processor;
        this.concurrency = concurrency;
    }

    public Report run() {
        Map<String, PaymentResult> latest = new HashMap<>();
        long read = readLatestResults(latest);
        List<PaymentResult> unknown = latest.values().stream().filter(r -> r.status() == PaymentStatus.UNKNOWN).toList();
        log.info("event=reconcile_started resultsRead={} unknown={}", read, unknown.size());
        int approved = 0;
        int declined = 0;
        int stillUnknown = 0;
        int failures = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                kafka.producerProperties("paypipe-reconcile"), new StringSerializer(),
                new ByteArraySerializer())) {
            Semaphore permits = new Semaphore(concurrency);
            List<CompletableFuture<ChargeLookup>> lookups = new ArrayList<>(unknown.size());
            for (PaymentResult r : unknown) {
                permits.acquireUninterruptibly();
                lookups.add(gateway.lookup(r.paymentId()).whenComplete((l, e) -> permits.release()));
            }
            List<java.util.concurrent.Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < unknown.size(); i++) {
                ChargeLookup lookup = lookups.get(i).join();
                PaymentResult settled = processor.reconcile(unknown.get(i), lookup);
                if (settled == null) {
                    if (lookup instanceof ChargeLookup.Failed f) {
                        failures++;
                        log.warn("event=reconcile_lookup_failed paymentId={} error={}", unknown.get(i).paymentId(),
                                f.errorClass());
                    }
                    stillUnknown++;
                    continue;
                }
                if (settled.status() == PaymentStatus.APPROVED) {
                    approved++;
                } else {
                    declined++;
                }
                sends.add(producer.send(new ProducerRecord<>(kafka.topics().results(), settled.paymentId(),
                        PaymentJson.encodeResult(settled))));
            }
            for (var send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing reconciled results", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish reconciled results: " + e.getCause(), e);
        }
        Report report = new Report(read, unknown.size(), approved, declined, stillUnknown, failures);
        log.info("event=reconcile_finished report={}", report);
        return report;
    }

    /** Reads every partition from the beginning to the end offsets seen at start; keeps the latest result per payment. */
    private long readLatestResults(Map<String, PaymentResult> latest) {
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", "paypipe-reconcile-" + UUID.randomUUID());
        props.put("enable.auto.commit", false);
        props.put("isolation.level", "read_committed");
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(kafka.topics().results()).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    try {
                        PaymentResult result = PaymentJson.decodeResult(r.value());
                        latest.merge(result.paymentId(), result,
                                (held, candidate) -> candidate.supersedes(held) ? candidate : held);
                    } catch (MalformedResultException e) {
                        log.warn("event=reconcile_skipped_malformed origin={}-{}@{} problem=\"{}\"", r.topic(),
                                r.partition(), r.offset(), e.getMessage());
                    }
                }
            }
        }
        return read;
    }
}
