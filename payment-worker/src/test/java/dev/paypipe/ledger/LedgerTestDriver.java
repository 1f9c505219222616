package dev.paypipe.ledger;

import dev.paypipe.kafka.TopicLayout;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TopologyTestDriver;

/** The ledger's topology in a {@link TopologyTestDriver}, as the specifications run it: exactly-once, one task. */
final class LedgerTestDriver {
    private LedgerTestDriver() {
    }

    /** Runs one task (partition 0) of a topology for {@code partitions} partitions, 7-day retention, 5-minute skew. */
    static TopologyTestDriver start(TopicLayout topics, String rerouteTopic, int partitions, Clock clock,
            LedgerMetrics metrics, Instant start) {
        LedgerTopology.Settings settings = new LedgerTopology.Settings(LedgerTopology.Topics.of(topics, rerouteTopic),
                partitions, Duration.ofDays(7), Duration.ofMinutes(5), Duration.ofMinutes(10),
                LedgerConfig.COMMIT_INTERVAL.defaultValue(), LedgerConfig.MIN_COMMIT_INTERVAL.defaultValue());
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "paypipe-ledger");
        props.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "unused:9092");
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        try {
            props.put(StreamsConfig.STATE_DIR_CONFIG, Files.createTempDirectory("ledger-ttd").toString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new TopologyTestDriver(LedgerTopology.build(settings, clock, metrics), props, start);
    }
}
