package dev.paypipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.config.KafkaSettings;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;

/** A broker of its own (not the shared one): stopped and started again on its port, it keeps its topics and records. */
class EmbeddedKafkaBrokerRestartIT {
    @Test
    void aRestartedBrokerKeepsItsTopicsAndRecordsAndTheSameClientsCarryOn() throws Exception {
        try (EmbeddedKafkaBroker broker = EmbeddedKafkaBroker.start();
                KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of("bootstrap.servers",
                        broker.bootstrapServers(), "enable.idempotence", true, "acks", "all",
                        "delivery.timeout.ms", 60_000), new StringSerializer(), new StringSerializer())) {
            KafkaSettings settings = broker.freshTopics(2);
            String topic = settings.topics().requests();
            producer.send(new ProducerRecord<>(topic, "before", "1")).get();

            broker.stop();
            broker.restart();
            producer.send(new ProducerRecord<>(topic, "after", "2")).get();

            List<String> keys = new ArrayList<>();
            try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(Map.of("bootstrap.servers",
                    broker.bootstrapServers(), "group.id", "restart-it", "auto.offset.reset", "earliest"),
                    new StringDeserializer(), new StringDeserializer())) {
                consumer.subscribe(List.of(topic));
                await().atMost(Duration.ofSeconds(60)).until(() -> {
                    for (ConsumerRecord<String, String> r : consumer.poll(Duration.ofMillis(200))) {
                        keys.add(r.key());
                    }
                    return keys.size() >= 2;
                });
            }
            assertThat(keys).containsExactlyInAnyOrder("before", "after");
        }
    }
}
