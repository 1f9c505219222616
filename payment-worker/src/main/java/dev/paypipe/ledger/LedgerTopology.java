package dev.paypipe.ledger;

import dev.paypipe.kafka.TopicLayout;
import java.time.Clock;
import java.time.Duration;
import java.util.Objects;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.state.KeyValueStore;
import org.apache.kafka.streams.state.StoreBuilder;
import org.apache.kafka.streams.state.Stores;

/**
 * The ledger as a Kafka Streams topology: one sub-topology in which the door (requests and reroute topics) and the
 * exit (outcomes topic) share one RocksDB store keyed by paymentId. Every source topic must have the same partition
 * count, so partition p of each lands in the same task and meets the same entries.
 *
 * <pre>
 * payment-requests ─┐                 ┌─► payment-accepted        (new valid payment)
 * &lt;app&gt;-door-reroute ┴─► door ─────────┼─► payment-results         (REJECTED)
 *                        │  ▲          ├─► payment-requests-dlq    (invalid, idempotency_conflict)
 *                        ▼  │          └─► &lt;app&gt;-door-reroute      (on a foreign partition)
 *                     [payment-ledger]
 *                        ▲  │
 * payment-outcomes ─► exit ─┴────────────► payment-results         (first final result, one settlement)
 *                                     └──► payment-results-dlq     (not a PaymentResult)
 * </pre>
 */
public final class LedgerTopology {
    public static final String STORE = "payment-ledger";
    /** The dead-letter error class of a copy that contradicts the first request of its paymentId. */
    public static final String IDEMPOTENCY_CONFLICT = "idempotency_conflict";

    static final String ACCEPTED_SINK = "accepted-sink";
    static final String DOOR_RESULTS_SINK = "door-results-sink";
    static final String REQUESTS_DLQ_SINK = "requests-dlq-sink";
    static final String REROUTE_SINK = "reroute-sink";
    static final String EXIT_RESULTS_SINK = "exit-results-sink";
    static final String RESULTS_DLQ_SINK = "results-dlq-sink";

    private LedgerTopology() {
    }

    /** The topics the topology reads and writes. */
    public record Topics(String requests, String reroute, String accepted, String outcomes, String results,
            String requestsDlq, String resultsDlq) {

        public static Topics of(TopicLayout layout, String reroute) {
            return new Topics(layout.requests(), reroute, layout.accepted(), layout.outcomes(), layout.results(),
                    layout.requestsDlq(), layout.resultsDlq());
        }
    }

    /**
     * What the processors need to know: topics, the partition count of requests, the door's rules, and the commit
     * pace ({@code minCommitInterval} while the ledger keeps up, {@code commitInterval} otherwise: {@link CommitPacer}).
     */
    public record Settings(Topics topics, int partitions, Duration retention, Duration createdAtSkew,
            Duration expiryInterval, Duration commitInterval, Duration minCommitInterval) {

        public Settings {
            Objects.requireNonNull(topics, "topics");
            Objects.requireNonNull(commitInterval, "commitInterval");
            Objects.requireNonNull(minCommitInterval, "minCommitInterval");
            if (partitions < 1) {
                throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
            }
        }

        public static Settings of(LedgerConfig config, int partitions) {
            return new Settings(Topics.of(config.kafka().topics(), config.rerouteTopic()), partitions,
                    config.retention(), config.createdAtSkew(), config.expiryInterval(), config.commitInterval(),
                    config.minCommitInterval());
        }
    }

    /** Builds the topology; {@code clock} stamps entries and results and judges {@code createdAt}. */
    public static Topology build(Settings settings, Clock clock, LedgerMetrics metrics) {
        Topics t = settings.topics();
        ByteArrayDeserializer in = new ByteArrayDeserializer();
        ByteArraySerializer out = new ByteArraySerializer();
        StoreBuilder<KeyValueStore<String, LedgerEntry>> store = Stores.keyValueStoreBuilder(
                Stores.persistentKeyValueStore(STORE), Serdes.String(), new LedgerEntrySerde())
                .withCachingEnabled();

        Topology topology = new Topology();
        topology.addSource("requests-source", in, in, t.requests());
        topology.addSource("reroute-source", in, in, t.reroute());
        topology.addSource("outcomes-source", in, in, t.outcomes());
        CommitPacer pacer = new CommitPacer(settings.minCommitInterval(), settings.commitInterval(), metrics);
        topology.addProcessor("door", () -> new DoorProcessor(settings, clock, metrics, pacer), "requests-source",
                "reroute-source");
        topology.addProcessor("exit", () -> new ExitProcessor(clock, metrics, pacer), "outcomes-source");
        topology.addStateStore(store, "door", "exit");
        topology.addSink(ACCEPTED_SINK, t.accepted(), out, out, "door");
        topology.addSink(DOOR_RESULTS_SINK, t.results(), out, out, "door");
        topology.addSink(REQUESTS_DLQ_SINK, t.requestsDlq(), out, out, "door");
        topology.addSink(REROUTE_SINK, t.reroute(), out, out, "door");
        topology.addSink(EXIT_RESULTS_SINK, t.results(), out, out, "exit");
        topology.addSink(RESULTS_DLQ_SINK, t.resultsDlq(), out, out, "exit");
        return topology;
    }
}
