package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.config.KafkaSettings;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The consumer most teams write first, for the {@code baseline} scenario: one consumer thread per partition,
 * auto-commit, and for each record one blocking HTTP call to the gateway ({@code java.net.http}), retried
 * in-line with a sleep on a 5xx, a 429 or an I/O error, then the result published. Written plainly on purpose:
 * it is the yardstick, not a model.
 */
final class BlockingBaselineConsumer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int ATTEMPTS = 4;
    private static final Duration RETRY_SLEEP = Duration.ofMillis(200);

    private final KafkaSettings kafka;
    private final URI charges;
    private final String apiKey;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(1)).build();
    private final KafkaProducer<String, String> producer;
    private final List<KafkaConsumer<String, String>> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private final AtomicLong completed = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    /** Partitions each consumer held after its last poll, written by its own thread. */
    private final AtomicIntegerArray assigned;
    private volatile boolean running = true;

    BlockingBaselineConsumer(KafkaSettings kafka, URI gateway, String apiKey, int consumers) {
        this.kafka = kafka;
        this.charges = URI.create(gateway.toString().replaceAll("/+$", "") + "/v1/charges");
        this.apiKey = apiKey;
        this.producer = new KafkaProducer<>(kafka.producerProperties("baseline"), new StringSerializer(),
                new StringSerializer());
        String group = "baseline-" + UUID.randomUUID();
        this.assigned = new AtomicIntegerArray(consumers);
        for (int i = 0; i < consumers; i++) {
            Map<String, Object> props = kafka.clientProperties();
            props.putAll(Map.of("group.id", group, "auto.offset.reset", "earliest", "enable.auto.commit", true));
            KafkaConsumer<String, String> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                    new StringDeserializer());
            this.consumers.add(consumer);
            int index = i;
            threads.add(new Thread(() -> consume(index, consumer), "baseline-consumer-" + i));
        }
    }

    void start() {
        threads.forEach(Thread::start);
    }

    /** Payments that got an answer from the gateway (approved or declined). */
    long completed() {
        return completed.get();
    }

    /** Payments given up after {@value #ATTEMPTS} attempts. */
    long failed() {
        return failed.get();
    }

    /**
     * True once every consumer holds a partition: the group has settled. Until then a member that joins late waits
     * for the others to finish their poll's batch (500 records × one blocking call each, up to half a minute) before
     * the group rebalances, the naive consumer's real cost at start-up, but not its steady rate.
     */
    boolean groupSettled() {
        for (int i = 0; i < assigned.length(); i++) {
            if (assigned.get(i) == 0) {
                return false;
            }
        }
        return true;
    }

    private void consume(int index, KafkaConsumer<String, String> consumer) {
        try {
            consumer.subscribe(List.of(kafka.topics().requests()));
            while (running) {
                ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(100));
                assigned.set(index, consumer.assignment().size());
                for (ConsumerRecord<String, String> record : records) {
                    String status = charge(record.value());
                    producer.send(new ProducerRecord<>(kafka.topics().results(), record.key(),
                            "{\"paymentId\":\"" + record.key() + "\",\"status\":\"" + status + "\"}"));
                }
            }
        } catch (WakeupException e) {
            // closing
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            consumer.close();
        }
    }

    private String charge(String requestJson) throws InterruptedException {
        HttpRequest request;
        try {
            JsonNode r = JSON.readTree(requestJson);
            ObjectNode body = JSON.createObjectNode();
            for (String field : List.of("paymentId", "amount", "currency", "customerId", "paymentMethod")) {
                body.set(field, r.get(field));
            }
            request = HttpRequest.newBuilder(charges).timeout(Duration.ofSeconds(10))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + apiKey)
                    .header("Idempotency-Key", r.get("paymentId").asText())
                    .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build();
        } catch (IOException e) {
            failed.incrementAndGet();
            return "REJECTED";
        }
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try {
                int code = http.send(request, HttpResponse.BodyHandlers.ofString()).statusCode();
                if (code == 200 || code == 402) {
                    completed.incrementAndGet();
                    return code == 200 ? "APPROVED" : "DECLINED";
                }
            } catch (IOException e) {
                // retried below like a 5xx
            }
            Thread.sleep(RETRY_SLEEP.toMillis() * attempt); // the in-line retry of the naive consumer
        }
        failed.incrementAndGet();
        return "UNKNOWN";
    }

    @Override
    public void close() throws InterruptedException {
        running = false;
        consumers.forEach(KafkaConsumer::wakeup);
        for (Thread t : threads) {
            t.join(5000);
        }
        producer.close();
    }
}
