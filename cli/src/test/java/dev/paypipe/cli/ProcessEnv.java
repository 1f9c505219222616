package dev.paypipe.cli;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

/**
 * The {@code PAYPIPE_*} environment of a child {@code paypipe} process in a test: the fresh topic
 * layout's broker and prefix, a unique consumer group (the production group defaults let a restarted
 * process rejoin in seconds) and whatever the test adds with {@link #with(String, String)}.
 */
final class ProcessEnv {
    private final Map<String, String> env = new LinkedHashMap<>();

    private ProcessEnv() {
    }

    /** A direct-intake worker of a group unique to this test, calling {@code gateway} with {@code apiKey}. */
    static ProcessEnv worker(KafkaSettings topics, URI gateway, String apiKey) {
        return new ProcessEnv()
                .with("kafka.bootstrap-servers", topics.bootstrapServers())
                .with("kafka.topic-prefix", prefix(topics))
                .with("worker.intake", "direct")
                .with("worker.group-id", "it-workers-" + UUID.randomUUID().toString().substring(0, 8))
                .with("gateway.base-url", gateway.toString())
                .with("gateway.api-key", apiKey)
                .with("admin.port", "0");
    }

    /** The prefix {@code KafkaBroker.freshTopics} put in front of every topic name. */
    static String prefix(KafkaSettings topics) {
        String requests = topics.topics().requests();
        return requests.substring(0, requests.length() - "payment-requests".length());
    }

    /** Sets {@code key} as its environment variable ({@code worker.max-in-flight} → {@code PAYPIPE_WORKER_MAX_IN_FLIGHT}). */
    ProcessEnv with(String key, String value) {
        env.put(ConfigSource.envName(key), value);
        return this;
    }

    String get(String key) {
        return env.get(ConfigSource.envName(key));
    }

    Map<String, String> toMap() {
        return Map.copyOf(env);
    }
}
