package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** {@code paypipe-dev load}, the compose stack's one-shot publisher, against the real broker. */
@ExtendWith(PaypipeInfraExtension.class)
class LoadCommandIT {
    private final KafkaBroker broker;

    LoadCommandIT(KafkaBroker broker) {
        this.broker = broker;
    }

    @Test
    void publishesTheRequestedNumberOfValidRequestsKeyedByPaymentId(@TempDir Path dir) throws Exception {
        KafkaSettings kafka = broker.freshTopics(2);
        String prefix = kafka.topics().requests().substring(0, kafka.topics().requests().indexOf("payment-requests"));
        Path props = Files.writeString(dir.resolve("load.properties"), "kafka.bootstrap-servers="
                + kafka.bootstrapServers() + "\nkafka.topic-prefix=" + prefix + "\n");
        StringWriter out = new StringWriter();
        var cli = PaypipeDevCommand.commandLine();
        cli.setOut(new PrintWriter(out, true));

        int exit = cli.execute("load", "--payments", "40", "--rate", "0", "--id-prefix", "ld", "--config",
                props.toString());

        assertThat(exit).isZero();
        assertThat(out.toString()).contains("published 40 payments (ld-000000 .. ld-000039)", "0 sends failed");
        Map<String, RequestCheck> byKey = new ConcurrentHashMap<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                kafka.bootstrapServers()), new StringDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = List.of(new TopicPartition(kafka.topics().requests(), 0),
                    new TopicPartition(kafka.topics().requests(), 1));
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    byKey.put(r.key(), PaymentJson.decodeRequest(r.value()));
                }
                return byKey.size() >= 40;
            });
        }
        assertThat(byKey).hasSize(40).containsKeys("ld-000000", "ld-000039");
        assertThat(byKey.values()).allSatisfy(check -> assertThat(check.isValid()).as(check.describeProblems()).isTrue());
        assertThat(byKey.entrySet()).allSatisfy(e -> assertThat(e.getValue().paymentId()).isEqualTo(e.getKey()));
    }

    @Test
    void refusesANonPositivePaymentCountBeforeConnecting() {
        StringWriter err = new StringWriter();
        var cli = PaypipeDevCommand.commandLine();
        cli.setErr(new PrintWriter(err, true));

        int exit = cli.execute("load", "--payments", "0");

        assertThat(exit).isEqualTo(2);
        assertThat(err.toString()).contains("--payments must be at least 1, got 0");
    }
}
