package dev.paypipe.control;

import dev.paypipe.config.KafkaSettings;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** What {@code paypipe status} shows: the fleet's orders and the latest heartbeat of every live process. */
public record FleetStatus(ControlState orders, List<StatusReport> live, int stale) {

    /** Reads the whole control topic once, to its end at the time of the call. */
    public static FleetStatus read(KafkaSettings kafka, Instant now, Duration maxAge) {
        Map<String, byte[]> latest = new HashMap<>();
        ControlState orders = ControlState.RUNNING;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(ControlFollower.consumerProperties(kafka),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(kafka.topics().control(), Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                return new FleetStatus(orders, List.of(), 0);
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Instant deadline = Instant.now().plusSeconds(30);
            while (parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("control topic " + kafka.topics().control()
                            + " not read to its end within 30 s; check the Kafka cluster");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    if (ControlTopic.isStatusKey(r.key())) {
                        latest.put(r.key(), r.value());
                    } else if (r.value() != null) {
                        try {
                            orders = orders.apply(ControlCodec.decodeMessage(r.value()));
                        } catch (ControlCodec.MalformedControlRecordException e) {
                            // an unreadable command is skipped here as the followers skip it
                        }
                    }
                }
            }
        }
        List<StatusReport> reports = new ArrayList<>();
        for (byte[] value : latest.values()) {
            if (value != null) {
                try {
                    reports.add(ControlCodec.decodeStatus(value));
                } catch (ControlCodec.MalformedControlRecordException e) {
                    // a heartbeat from a newer or broken process: not counted as live
                }
            }
        }
        return of(orders, reports, now, maxAge);
    }

    /** The live reports (heartbeat younger than {@code maxAge}), by role then instance id. */
    public static FleetStatus of(ControlState orders, List<StatusReport> reports, Instant now, Duration maxAge) {
        List<StatusReport> live = reports.stream().filter(r -> r.isLive(now, maxAge))
                .sorted(Comparator.comparing(StatusReport::role).thenComparing(StatusReport::instanceId)).toList();
        return new FleetStatus(orders, live, reports.size() - live.size());
    }
}
