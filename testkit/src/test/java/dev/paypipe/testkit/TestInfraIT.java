package dev.paypipe.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.config.KafkaSettings;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
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
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(PaypipeInfraExtension.class)
class TestInfraIT {

    @Test
    void freshTopicsAcceptIdempotentProduceImmediately(KafkaBroker kafka) throws Exception {
        KafkaSettings settings = kafka.freshTopics(3);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "enable.idempotence", true, "acks", "all"),
                new StringSerializer(), new StringSerializer())) {
            for (int i = 0; i < 300; i++) {
                producer.send(new ProducerRecord<>(settings.topics().requests(), "k" + i, "v" + i)).get();
            }
        }
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(
                Map.of("bootstrap.servers", kafka.bootstrapServers(), "group.id", "infra-it",
                        "auto.offset.reset", "earliest"),
                new StringDeserializer(), new StringDeserializer())) {
            consumer.subscribe(List.of(settings.topics().requests()));
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (seen.size() < 300 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(seen::add);
            }
        }
        assertThat(seen).hasSize(300);
    }

    @Test
    void freshDatabaseIsEmptyAndWritable(PostgresServer postgres) throws Exception {
        PostgresDatabase db = postgres.freshDatabase();
        try (Connection c = db.connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE t (id int primary key)");
            s.execute("INSERT INTO t VALUES (1), (2)");
            try (ResultSet rs = s.executeQuery("SELECT count(*) FROM t")) {
                rs.next();
                assertThat(rs.getInt(1)).isEqualTo(2);
            }
        }
    }
}
