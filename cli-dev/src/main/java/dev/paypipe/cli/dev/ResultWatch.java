package dev.paypipe.cli.dev;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.MalformedResultException;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.PaymentStatus;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.EnumMap;
import java.util.concurrent.atomic.AtomicLongArray;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;
import org.HdrHistogram.SynchronizedHistogram;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/**
 * Reads {@code payment-results} the way a client must ({@code read_committed}) and keeps, per payment,
 * how many final results it saw and the time from publishing the request to its first result
 * (HdrHistogram, milliseconds), in total and per interval ({@link #takeIntervalLatency()}), and how many
 * payments' first result had each status. Payment ids are {@code demo-NNNNNN}; ids outside the run are ignored.
 */
public final class ResultWatch implements AutoCloseable {
    private final long[] publishedAt;
    private final byte[] settled;
    private final byte[] unknown;
    private final Histogram histogram = new SynchronizedHistogram(3_600_000L, 3);
    private final Histogram entryLeg = new SynchronizedHistogram(3_600_000L, 3);
    private final Histogram exitLeg = new SynchronizedHistogram(3_600_000L, 3);
    /** Wall-clock millis minus nanoTime millis: turns the publish times into the clock of record timestamps. */
    private final long wallOffsetMillis = System.currentTimeMillis() - System.nanoTime() / 1_000_000;
    private final Recorder interval = new Recorder(3_600_000L, 3);
    private final AtomicLongArray firstByStatus = new AtomicLongArray(PaymentStatus.values().length);
    private final KafkaConsumer<String, byte[]> consumer;
    private final Thread thread = new Thread(this::run, "demo-result-watch");
    private volatile int received;
    private volatile long resultsRead;
    private volatile long lastResultNanos = System.nanoTime();
    private volatile boolean running = true;
    private volatile FailoverMeter meter;

    public ResultWatch(KafkaSettings kafka, int payments) {
        this.publishedAt = new long[payments];
        this.settled = new byte[payments];
        this.unknown = new byte[payments];
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", "demo-watch-" + UUID.randomUUID());
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", false);
        props.put("isolation.level", "read_committed");
        this.consumer = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer());
        consumer.subscribe(List.of(kafka.topics().results()));
        thread.setDaemon(true);
        thread.start();
    }

    /** Marks the first publish of payment {@code i}; later copies keep the first time. */
    public void published(int i) {
        if (publishedAt[i] == 0) {
            publishedAt[i] = System.nanoTime();
            FailoverMeter m = meter;
            if (m != null) {
                m.published(String.format("demo-%06d", i), publishedAt[i]);
            }
        }
    }

    /** Feeds every first publish and every result read to {@code failover} from now on. */
    void meter(FailoverMeter failover) {
        this.meter = failover;
    }

    /** Payments with at least one final result. */
    public int received() {
        return received;
    }

    public boolean hasResult(int i) {
        return settled[i] + unknown[i] > 0;
    }

    /** Result records read, all copies included. */
    public long resultsRead() {
        return resultsRead;
    }

    public long lastResultNanos() {
        return lastResultNanos;
    }

    public Histogram histogram() {
        return histogram;
    }

    /**
     * First results' time from the publish to the worker sending the outcome (the result record's timestamp: the
     * worker's producer stamps the outcome, and the ledger's exit keeps the stamp), ms: intake, the door and the
     * gateway call. {@link #reset()} empties it with the others.
     */
    public Histogram entryLeg() {
        return entryLeg;
    }

    /** First results' time from the worker sending the outcome to this watch reading the result, ms: the exit. */
    public Histogram exitLeg() {
        return exitLeg;
    }

    /** Empties the latency histograms: the next figures start now (after a warm-up). */
    public void resetLatency() {
        histogram.reset();
        entryLeg.reset();
        exitLeg.reset();
    }

    /** Latencies of the first results seen since the previous call (the first call: since the start). */
    Histogram takeIntervalLatency() {
        return interval.getIntervalHistogram();
    }

    /** Payments whose first final result had each status, every status present. */
    Map<PaymentStatus, Long> firstResultsByStatus() {
        Map<PaymentStatus, Long> counts = new EnumMap<>(PaymentStatus.class);
        for (PaymentStatus status : PaymentStatus.values()) {
            counts.put(status, firstByStatus.get(status.ordinal()));
        }
        return counts;
    }

    /**
     * Payments that a client saw more than one final result for. An UNKNOWN followed by one settled
     * result (a reconciliation) counts as one; two settled results, or two UNKNOWNs, do not.
     */
    public long duplicateResults() {
        long n = 0;
        for (int i = 0; i < settled.length; i++) {
            if (settled[i] > 1 || unknown[i] > 1) {
                n++;
            }
        }
        return n;
    }

    private void run() {
        try {
            while (running) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(100))) {
                    onResult(r);
                }
            }
        } catch (WakeupException e) {
            // closing
        } finally {
            consumer.close();
        }
    }

    private void onResult(ConsumerRecord<String, byte[]> r) {
        int i = index(r.key());
        if (i < 0 || i >= settled.length) {
            return;
        }
        PaymentStatus status;
        try {
            status = PaymentJson.decodeResult(r.value()).status();
        } catch (MalformedResultException e) {
            return;
        }
        resultsRead++;
        lastResultNanos = System.nanoTime();
        FailoverMeter m = meter;
        if (m != null) {
            m.resulted(r.key(), lastResultNanos);
        }
        boolean first = settled[i] + unknown[i] == 0;
        if (status.isSettled()) {
            settled[i] = (byte) Math.min(100, settled[i] + 1);
        } else {
            unknown[i] = (byte) Math.min(100, unknown[i] + 1);
        }
        if (first) {
            received++;
            firstByStatus.incrementAndGet(status.ordinal());
            long ms = Math.max(0, Math.min((System.nanoTime() - publishedAt[i]) / 1_000_000, 3_600_000L));
            histogram.recordValue(ms);
            interval.recordValue(ms);
            long outcomeSent = r.timestamp();
            long publishedWall = publishedAt[i] / 1_000_000 + wallOffsetMillis;
            entryLeg.recordValue(Math.max(0, Math.min(outcomeSent - publishedWall, 3_600_000L)));
            exitLeg.recordValue(Math.max(0, Math.min(System.currentTimeMillis() - outcomeSent, 3_600_000L)));
        }
    }

    private static int index(String key) {
        if (key == null || !key.startsWith("demo-")) {
            return -1;
        }
        try {
            return Integer.parseInt(key, 5, key.length(), 10);
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
