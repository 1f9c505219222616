package dev.paypipe.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.LongSupplier;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The ledger alone against the embedded broker: requests pre-published, then the time for the door to pass them all
 * to payment-accepted; outcomes pre-published, then the time for the exit to pass them to payment-results. A
 * benchmark, not a test: it reports figures (run with {@code -Dit.test=LedgerBench}, {@code -Dledger.bench.n=N}).
 */
@ExtendWith(PaypipeInfraExtension.class)
class LedgerBench {
    private final KafkaBroker broker;

    LedgerBench(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void doorAndExitThroughput(@TempDir Path state) {
        int n = Integer.getInteger("ledger.bench.n", 100_000);
        KafkaSettings kafka = broker.freshTopics(4);
        PaymentFactory payments = new PaymentFactory("b" + System.nanoTime());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers(), "linger.ms", 5, "batch.size", 256 * 1024), new ByteArraySerializer(),
                new ByteArraySerializer());
                PaymentLedger ledger = new PaymentLedger(LedgerConfig.of(kafka, state), new SimpleMeterRegistry())) {
            for (int i = 0; i < n; i++) {
                PaymentRequest r = payments.request(i);
                producer.send(new ProducerRecord<>(kafka.topics().requests(), bytes(r.paymentId()),
                        PaymentJson.encodeRequest(r)));
            }
            producer.flush();
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
            phase("door (requests -> accepted)", n, () -> ledger.metrics().accepted());

            Instant done = Instant.now();
            for (int i = 0; i < n; i++) {
                PaymentResult result = PaymentResult.approved(payments.request(i), "ch_" + i, 1, done);
                producer.send(new ProducerRecord<>(kafka.topics().outcomes(), bytes(result.paymentId()),
                        PaymentJson.encodeResult(result)));
            }
            producer.flush();
            phase("exit (outcomes -> results)", n, () -> ledger.metrics().resultsPassed());
        }
    }

    private static void phase(String name, int n, LongSupplier count) {
        com.sun.management.OperatingSystemMXBean os =
                (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        await().atMost(Duration.ofMinutes(5)).pollInterval(Duration.ofMillis(10)).until(() -> count.getAsLong() >= n);
        double seconds = (System.nanoTime() - t0) / 1e9;
        double cpu = (os.getProcessCpuTime() - cpu0) / 1e9;
        System.out.printf("LedgerBench %s: %,d records in %.2f s = %,.0f records/s; process CPU %.1f s (%.0f %% of "
                + "one core, broker included)%n", name, n, seconds, n / seconds, cpu, 100 * cpu / seconds);
        assertThat(count.getAsLong()).isEqualTo(n);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
