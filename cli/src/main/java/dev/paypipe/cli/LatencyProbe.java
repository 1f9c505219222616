package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code payment-results} like a client and measures, per payment, the time from publishing
 * the request to its first result (HdrHistogram, milliseconds). Payment ids are {@code demo-NNNNNN}.
 */
final class LatencyProbe implements AutoCloseable {
    private final long[] publishedAt;
    private final boolean[] seen;
    private final Histogram histogram = new SynchronizedHistogram(3_600_000L, 3);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread = new Thread(this::run, "demo-latency-probe");
    private volatile int received;
    private volatile boolean running = true;

    LatencyProbe(KafkaSettings kafka, int payments) {
        this.publishedAt = new long[payments];
        this.seen = new boolean[payments];
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", "demo-probe-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", false);
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(kafka.topics().results()));
        thread.setDaemon(true);
        thread.start();
    }

    void published(int i) {
        publishedAt[i] = System.nanoTime();
    }

    int received() {
        return received;
    }

    Histogram histogram() {
        return histogram;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    int i = index(r.key());
                    if (i >= 0 && i < seen.length && !seen[i]) {
                        seen[i] = true;
                        received++;
                        long ms = (System.nanoTime() - publishedAt[i]) / 1_000_000;
                        histogram.recordValue(Math.max(0, Math.min(ms, 3_600_000L)));
                    }
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private static int index(String key) {
        if (key == null) {
            return -1;
        }
        int dash = key.lastIndexOf('-');
        try {
            return Integer.parseInt(key, dash + 1, key.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    @Override
    public void close() {
        running = false;
        consumer.wakeup();
    }
}
