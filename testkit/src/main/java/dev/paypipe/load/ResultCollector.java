package dev.paypipe.load;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads a topic from the beginning on a background thread, the way a client of
 * {@code payment-results} must ({@code read_committed}: no record of an aborted transaction), and
 * keeps every result per payment id for assertions.
 */
public final class ResultCollector implements AutoCloseable {
    private final KafkaConsumer<String, byte[]> consumer;
    private final Map<String, List<PaymentResult>> byPayment = new ConcurrentHashMap<>();
    private final List<ConsumerRecord<String, byte[]>> raw = new CopyOnWriteArrayList<>();
    private final boolean keepRaw;
    private final java.util.function.Consumer<PaymentResult> listener;
    private final Thread thread;
    private volatile boolean running = true;

    private ResultCollector(String bootstrap, String topic, boolean decodeResults,
            java.util.function.Consumer<PaymentResult> listener) {
        this.keepRaw = !decodeResults;
        this.listener = listener;
        this.consumer = new KafkaConsumer<>(Map.of("bootstrap.servers", bootstrap,
                "group.id", "collector-" + UUID.randomUUID(), "auto.offset.reset", "earliest",
                "enable.auto.commit", false, "isolation.level", "read_committed"), new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(topic));
        this.thread = new Thread(this::run, "result-collector-" + topic);
        this.thread.setDaemon(true);
        this.thread.start();
    }

    /** Collects decoded {@link PaymentResult}s. */
    public static ResultCollector results(String bootstrap, String topic) {
        return new ResultCollector(bootstrap, topic, true, result -> { });
    }

    /** Collects decoded {@link PaymentResult}s and hands each copy, as it is read, to {@code listener}. */
    public static ResultCollector results(String bootstrap, String topic,
            java.util.function.Consumer<PaymentResult> listener) {
        return new ResultCollector(bootstrap, topic, true, listener);
    }

    /** Collects raw records (dead-letter topics). */
    public static ResultCollector raw(String bootstrap, String topic) {
        return new ResultCollector(bootstrap, topic, false, result -> { });
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    if (keepRaw) {
                        raw.add(r);
                    } else {
                        PaymentResult result = PaymentJson.decodeResult(r.value());
                        byPayment.computeIfAbsent(result.paymentId(), k -> new CopyOnWriteArrayList<>()).add(result);
                        listener.accept(result);
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    /** Distinct payments with at least one result. */
    public int payments() {
        return byPayment.size();
    }

    public List<PaymentResult> resultsFor(String paymentId) {
        return byPayment.getOrDefault(paymentId, List.of());
    }

    public Map<String, List<PaymentResult>> all() {
        return byPayment;
    }

    /** The latest result of each payment. */
    public List<PaymentResult> latest() {
        List<PaymentResult> out = new ArrayList<>();
        byPayment.values().forEach(list -> out.add(list.get(list.size() - 1)));
        return out;
    }

    public List<ConsumerRecord<String, byte[]>> records() {
        return raw;
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
