package dev.paypipe.kafka;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;

/**
 * Creates topics and returns only once every partition answers a ListOffsets request. Producing
 * to a partition before that can hit {@code OutOfOrderSequenceException} with an idempotent
 * producer on a fresh, empty partition (a broker bug), so every paypipe component creates its
 * topics through here.
 */
public final class TopicAdmin {
    private TopicAdmin() {
    }

    /** A topic to ensure: name, partitions and topic-level configs (e.g. cleanup.policy). */
    public record TopicSpec(String name, int partitions, Map<String, String> configs) {
        public TopicSpec {
            configs = Map.copyOf(configs);
        }

        public static TopicSpec of(String name, int partitions) {
            return new TopicSpec(name, partitions, Map.of());
        }

        public static TopicSpec compacted(String name) {
            return new TopicSpec(name, 1, Map.of("cleanup.policy", "compact"));
        }
    }

    /**
     * Creates the missing topics (existing ones are left as they are) and waits until every partition
     * of every named topic is ready.
     *
     * @throws IllegalStateException naming the topics that were not ready within {@code timeout}
     */
    public static void ensureTopics(Admin admin, List<TopicSpec> specs, short replicationFactor, Duration timeout) {
        Instant deadline = Instant.now().plus(timeout);
        try {
            Set<String> existing = admin.listTopics().names().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (TopicSpec spec : specs) {
                if (!existing.contains(spec.name())) {
                    missing.add(new NewTopic(spec.name(), spec.partitions(), replicationFactor).configs(spec.configs()));
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).values().forEach((name, future) -> {
                    try {
                        future.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
                    } catch (ExecutionException e) {
                        if (!(e.getCause() instanceof TopicExistsException)) {
                            throw new IllegalStateException("cannot create topic " + name + ": " + e.getCause(), e);
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IllegalStateException("interrupted while creating topic " + name, e);
                    } catch (TimeoutException e) {
                        throw new IllegalStateException("topic " + name + " not created within " + timeout, e);
                    }
                });
            }
            awaitReady(admin, specs.stream().map(TopicSpec::name).toList(), deadline);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ensuring topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot list topics on the Kafka cluster: " + e, e);
        }
    }

    private static void awaitReady(Admin admin, List<String> topics, Instant deadline) throws InterruptedException {
        Exception last = null;
        while (Instant.now().isBefore(deadline)) {
            try {
                Map<String, TopicDescription> descriptions = admin.describeTopics(topics).allTopicNames()
                        .get(5, TimeUnit.SECONDS);
                Map<TopicPartition, OffsetSpec> request = new HashMap<>();
                descriptions.values().forEach(d -> d.partitions().forEach(p -> {
                    request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest());
                }));
                admin.listOffsets(request).all().get(5, TimeUnit.SECONDS);
                return;
            } catch (ExecutionException | TimeoutException e) {
                last = e;
                Thread.sleep(50); // brief back-off between readiness probes, bounded by the deadline
            }
        }
        throw new IllegalStateException("topics " + topics + " not ready (ListOffsets) before the deadline: " + last);
    }
}
