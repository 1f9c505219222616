package dev.paypipe.testkit;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.kafka.TopicLayout;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.admin.Admin;

/** A reachable Kafka cluster for tests and the local stack, wherever it comes from. */
public interface KafkaBroker extends AutoCloseable {

    String bootstrapServers();

    /** Where this broker comes from, for the log line that says which one was chosen. */
    String describe();

    @Override
    void close();

    /** A fresh, unique topic layout on this broker with every pipeline topic created and ready. */
    default KafkaSettings freshTopics(int partitions) {
        TopicLayout topics = TopicLayout.withPrefix("t" + UUID.randomUUID().toString().substring(0, 8) + "-");
        createPipelineTopics(topics, partitions);
        return KafkaSettings.of(bootstrapServers(), topics);
    }

    /** Creates the main pipeline topics of a layout and waits until they are ready. */
    default void createPipelineTopics(TopicLayout topics, int partitions) {
        createTopics(List.of(
                TopicSpec.of(topics.requests(), partitions),
                TopicSpec.of(topics.results(), partitions),
                TopicSpec.of(topics.accepted(), partitions),
                TopicSpec.of(topics.outcomes(), partitions),
                TopicSpec.of(topics.requestsDlq(), 1),
                TopicSpec.of(topics.resultsDlq(), 1),
                TopicSpec.compacted(topics.control())));
    }

    default void createTopics(List<TopicSpec> specs) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers()))) {
            TopicAdmin.ensureTopics(admin, specs, (short) 1, Duration.ofSeconds(60));
        }
    }
}
