package dev.paypipe.examples;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.MalformedResultException;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * A client of {@code payment-results}: one consumer in the client's own group, reading with
 * {@code isolation.level=read_committed} so that it sees exactly one final result per payment (the ledger
 * publishes inside Kafka transactions; a {@code read_uncommitted} reader could also see records of aborted ones).
 *
 * <p>Each result is handed to the {@link Handler} before the offsets of its batch are committed, so a client that
 * crashes mid-batch sees those results again: handlers must be idempotent (keyed by {@code paymentId}, as
 * {@link OrderPayments} is). A record that is not a {@link PaymentResult} is counted and skipped: paypipe never
 * writes one, and it must not stop the client.
 */
public final class PaymentResultsClient implements AutoCloseable {
    /** What the client does with each result, in topic order per payment (latest wins). */
    @FunctionalInterface
    public interface Handler {
        void onResult(PaymentResult result);
    }

    private final KafkaConsumer<String, byte[]> consumer;
    private final Handler handler;
    private final AtomicLong malformed = new AtomicLong();

    /**
     * @param groupId the client's own consumer group, e.g. {@code order-service-payments}; never a paypipe group
     */
    public PaymentResultsClient(KafkaSettings kafka, String groupId, Handler handler) {
        Map<String, Object> props = kafka.clientProperties();
        props.put(ConsumerConfig.GROUP_ID_CONFIG, groupId);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        this.consumer.subscribe(List.of(kafka.topics().results()));
        this.handler = handler;
    }

    /** One poll: hands every result to the handler, then commits the batch. Returns the records polled. */
    public int pollOnce(Duration timeout) {
        ConsumerRecords<String, byte[]> records = consumer.poll(timeout);
        for (ConsumerRecord<String, byte[]> record : records) {
            PaymentResult result;
            try {
                result = PaymentJson.decodeResult(record.value());
            } catch (MalformedResultException e) {
                malformed.incrementAndGet();
                continue;
            }
            handler.onResult(result);
        }
        if (!records.isEmpty()) {
            consumer.commitSync();
        }
        return records.count();
    }

    /** Polls until {@link #stop()} is called from another thread; then returns. */
    public void run() {
        try {
            while (true) {
                pollOnce(Duration.ofMillis(500));
            }
        } catch (WakeupException stopped) {
            // stop() was called: leave the loop; close() leaves the group
        }
    }

    /** Makes a running {@link #run()} return (thread-safe). */
    public void stop() {
        consumer.wakeup();
    }

    /** Records skipped because they were not a {@link PaymentResult}. */
    public long malformed() {
        return malformed.get();
    }

    /** Leaves the consumer group; call from the thread that polls, after {@link #run()} returned. */
    @Override
    public void close() {
        consumer.close();
    }

    /** Prints what each order should do next, for the cluster named by {@code PAYPIPE_KAFKA_BOOTSTRAP_SERVERS}. */
    public static void main(String[] args) {
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.load(null));
        OrderPayments orders = new OrderPayments();
        PaymentResultsClient client = new PaymentResultsClient(kafka, "example-order-service", result -> {
            orders.onResult(result);
            System.out.println(result.paymentId() + " " + result.status() + " → " + OrderPayments.nextStep(result));
        });
        Thread main = Thread.currentThread();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            client.stop();
            try {
                main.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }));
        try (client) {
            client.run();
        }
    }
}
