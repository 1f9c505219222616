package dev.paypipe.ledger;

import dev.paypipe.admin.HealthCheck;
import dev.paypipe.config.GroupMembership;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.ControlTopic;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusSource;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.kafka.TopicLayout;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.kafka.KafkaStreamsMetrics;
import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.streams.CloseOptions;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StoreQueryParameters;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.InvalidStateStoreException;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;
import org.apache.kafka.streams.state.HostInfo;
import org.apache.kafka.streams.state.QueryableStoreTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ledger process: creates its topics (and the Streams internal ones) and waits until every partition answers,
 * refuses to start when the pipeline topics are not co-partitioned, runs {@link LedgerTopology} with
 * {@code exactly_once_v2}, and serves {@code GET /payments/{id}}. {@link #start()} returns once Streams is started
 * (not yet necessarily RUNNING: see {@link #awaitRunning}); {@link #close()} commits and stops. The Streams client's
 * metrics are bound to the registry given ({@code kafka.stream.*}, {@code kafka.consumer.*}, {@code kafka.producer.*}).
 * For the operations around it: {@link #controlTarget()} (a fleet pause is reported, not applied),
 * {@link #statusSource}, {@link #streamsHealth()}.
 */
public final class PaymentLedger implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(PaymentLedger.class);
    private static final Duration TOPIC_TIMEOUT = Duration.ofSeconds(60);

    private final LedgerConfig config;
    private final LedgerMetrics metrics;
    private final MeterRegistry registry;
    private final LedgerControl control;
    private final Clock clock;
    private final CompletableFuture<Void> running = new CompletableFuture<>();
    private LedgerStatusServer http;
    private KafkaStreams streams;
    private KafkaStreamsMetrics streamsMetrics;

    public PaymentLedger(LedgerConfig config, MeterRegistry registry) {
        this(config, registry, Clock.systemUTC());
    }

    public PaymentLedger(LedgerConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.metrics = new LedgerMetrics(registry);
        this.registry = registry;
        this.control = new LedgerControl(clock);
        this.clock = clock;
    }

    /**
     * Ensures topics, binds the status endpoint and starts Kafka Streams.
     *
     * @throws IllegalStateException when payment-requests is missing or a pipeline topic has another partition count
     */
    public synchronized void start() {
        if (streams != null) {
            throw new IllegalStateException("ledger already started");
        }
        log.atInfo().setMessage("ledger starting").addKeyValue("event", "ledger_starting")
                .addKeyValue("applicationId", config.applicationId()).addKeyValue("retention", config.retention())
                .addKeyValue("createdAtSkew", config.createdAtSkew()).addKeyValue("commitInterval", config.commitInterval())
                .addKeyValue("streamThreads", config.streamThreads()).addKeyValue("stateDir", config.stateDir())
                .addKeyValue("http", config.httpHost() + ":" + config.httpPort()).log();
        int partitions;
        short replication;
        try (Admin admin = Admin.create(config.kafka().clientProperties())) {
            replication = replicationFactor(admin);
            partitions = ensureTopics(admin, replication);
        }
        http = new LedgerStatusServer(config.httpHost(), config.httpPort());
        HostInfo self = new HostInfo(config.advertisedHost(), http.port());
        streams = new KafkaStreams(LedgerTopology.build(LedgerTopology.Settings.of(config, partitions), clock, metrics),
                streamsProperties(self, replication));
        streams.setUncaughtExceptionHandler(e -> {
            log.atError().setMessage("ledger stream thread failed; stopping the ledger").addKeyValue("event",
                    "ledger_crashed").addKeyValue("error", e.toString()).setCause(e).log();
            return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
        });
        streams.setStateListener((to, from) -> {
            log.atInfo().setMessage("ledger state change").addKeyValue("event", "ledger_state_change")
                    .addKeyValue("from", from).addKeyValue("to", to).log();
            if (to == KafkaStreams.State.RUNNING) {
                running.complete(null);
            } else if (!to.isRunningOrRebalancing()) {
                running.completeExceptionally(new IllegalStateException("ledger went " + to));
            }
        });
        streamsMetrics = new KafkaStreamsMetrics(streams);
        streamsMetrics.bindTo(registry);
        streams.start();
        http.start(streams, self);
        log.atInfo().setMessage("ledger started").addKeyValue("event", "ledger_started")
                .addKeyValue("partitions", partitions).addKeyValue("statusUri", statusUri()).log();
    }

    /**
     * Waits until Streams is RUNNING for the first time (tasks assigned and restored).
     *
     * @throws IllegalStateException when it is not within {@code timeout} or stopped on the way
     */
    public void awaitRunning(Duration timeout) {
        try {
            running.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the ledger", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("ledger not RUNNING within " + timeout + " (state " + state()
                    + "); check the broker and the log for ledger_crashed", e);
        }
    }

    private Properties streamsProperties(HostInfo self, short replication) {
        Properties p = new Properties();
        // Classic protocol with the short session timeout of KafkaSettings' GroupMembership, under the
        // pass-through keys: the streams protocol's session timeout is the broker's (45 s by default).
        GroupMembership group = config.kafka().group();
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, (int) group.sessionTimeout().toMillis());
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, (int) group.heartbeatInterval().toMillis());
        p.putAll(config.kafka().clientProperties());
        if ("consumer".equalsIgnoreCase(String.valueOf(p.get(StreamsConfig.GROUP_PROTOCOL_CONFIG)))) {
            p.remove(StreamsConfig.GROUP_PROTOCOL_CONFIG); // a plain consumers' switch; Streams knows classic|streams
        }
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, config.applicationId());
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, config.commitInterval().toMillis());
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, config.streamThreads());
        p.put(StreamsConfig.STATE_DIR_CONFIG, config.stateDir().toString());
        p.put(StreamsConfig.APPLICATION_SERVER_CONFIG, self.host() + ":" + self.port());
        p.put(StreamsConfig.REPLICATION_FACTOR_CONFIG, (int) replication);
        // Enough cache that an entry written by the door and finished by the exit within one commit reaches
        // the changelog once.
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, 32L * 1024 * 1024);
        p.put(StreamsConfig.ROCKSDB_CONFIG_SETTER_CLASS_CONFIG, LedgerRocksDbConfig.class);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.LINGER_MS_CONFIG), 5);
        p.put(StreamsConfig.producerPrefix(ProducerConfig.BATCH_SIZE_CONFIG), 256 * 1024);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), 2000);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.FETCH_MAX_WAIT_MS_CONFIG), 50);
        // A task reads payment-requests and payment-outcomes of one partition; their order across the two topics is
        // causal (an outcome follows its request through the door), never by timestamp, so there is nothing to wait
        // for. Waiting (the default 0) also costs: each poll formats a lag report for every empty partition
        // (String.format in PartitionGroup.readyToProcess), the ledger thread's largest own cost in the bench.
        // A pass-through kafka.client.max.task.idle.ms still wins.
        p.putIfAbsent(StreamsConfig.MAX_TASK_IDLE_MS_CONFIG, StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        return p;
    }

    /**
     * Creates what is missing (accepted, outcomes, results, the reroute topic and the store's changelog with the
     * partition count of requests; both dead-letter topics) and returns that partition count.
     */
    private int ensureTopics(Admin admin, short replication) {
        TopicLayout t = config.kafka().topics();
        Map<String, Integer> existing = partitionCounts(admin);
        Integer partitions = existing.get(t.requests());
        if (partitions == null) {
            throw new IllegalStateException("topic " + t.requests() + " does not exist: create it first; its partition "
                    + "count sets the ledger's (accepted, outcomes, results and the ledger's own topics follow it)");
        }
        Map<String, Integer> coPartitioned = new LinkedHashMap<>();
        for (String topic : List.of(t.accepted(), t.outcomes(), t.results(), config.rerouteTopic(),
                config.changelogTopic())) {
            coPartitioned.put(topic, partitions);
        }
        List<String> mismatches = new ArrayList<>();
        coPartitioned.forEach((topic, want) -> {
            Integer have = existing.get(topic);
            if (have != null && !have.equals(want)) {
                mismatches.add(topic + " has " + have);
            }
        });
        if (!mismatches.isEmpty()) {
            throw new IllegalStateException("the ledger needs its topics co-partitioned with " + t.requests() + " ("
                    + partitions + " partitions), but " + String.join(", ", mismatches) + ": recreate them with "
                    + partitions + " partitions (or add partitions to match) before starting the ledger");
        }
        List<TopicSpec> specs = new ArrayList<>();
        specs.add(TopicSpec.of(t.requests(), partitions));
        coPartitioned.forEach((topic, n) -> specs.add(topic.equals(config.changelogTopic())
                ? new TopicSpec(topic, n, Map.of("cleanup.policy", "compact")) : TopicSpec.of(topic, n)));
        specs.add(TopicSpec.of(t.requestsDlq(), 1));
        specs.add(TopicSpec.of(t.resultsDlq(), 1));
        specs.add(ControlTopic.spec(t));
        TopicAdmin.ensureTopics(admin, specs, replication, TOPIC_TIMEOUT);
        return partitions;
    }

    private static Map<String, Integer> partitionCounts(Admin admin) {
        try {
            Set<String> names = admin.listTopics().names().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
            Map<String, Integer> counts = new LinkedHashMap<>();
            for (TopicDescription d : admin.describeTopics(names).allTopicNames()
                    .get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).values()) {
                counts.put(d.name(), d.partitions().size());
            }
            return counts;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing topics", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe topics on the Kafka cluster: " + e, e);
        }
    }

    private static short replicationFactor(Admin admin) {
        try {
            int brokers = admin.describeCluster().nodes().get(TOPIC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).size();
            return (short) Math.min(3, Math.max(1, brokers));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while describing the Kafka cluster", e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("cannot describe the Kafka cluster: " + e, e);
        }
    }

    /** This instance's view of one payment (only the partitions it owns); empty when unknown here or not queryable. */
    public Optional<LedgerEntry> localStatus(String paymentId) {
        try {
            return Optional.ofNullable(streams.store(StoreQueryParameters.fromNameAndType(LedgerTopology.STORE,
                    QueryableStoreTypes.<String, LedgerEntry>keyValueStore())).get(paymentId));
        } catch (InvalidStateStoreException e) {
            return Optional.empty();
        }
    }

    /** Base URI of the status endpoint, e.g. {@code http://127.0.0.1:8090}; GET {@code /payments/{id}} under it. */
    public URI statusUri() {
        return URI.create("http://" + config.advertisedHost() + ":" + http.port());
    }

    public KafkaStreams.State state() {
        return streams == null ? KafkaStreams.State.CREATED : streams.state();
    }

    /**
     * What the fleet's commands do here: a pause is recorded and reported (heartbeat, {@code /health/ready}) but the
     * door and exit keep running, since the ledger never calls the gateway; breaker commands are ignored.
     */
    public ControlTarget controlTarget() {
        return control;
    }

    /** The fleet pause as this ledger last saw it (it keeps processing). */
    public Optional<LedgerControl.FleetPause> fleetPause() {
        return control.fleetPause();
    }

    /** Heartbeat for {@code paypipe status} and {@code /admin/status}: pause, Streams state, lag per partition. */
    public StatusSource statusSource(ProcessInstance instance) {
        return control.statusSource(instance, this::state,
                () -> streams == null ? Map.of() : streams.metrics());
    }

    /** Up while Streams is RUNNING or REBALANCING (a rebalance is routine); down before start and once stopped. */
    public HealthCheck.Result streamsHealth() {
        KafkaStreams.State s = state();
        return s.isRunningOrRebalancing() ? HealthCheck.Result.up("streams " + s)
                : HealthCheck.Result.down("streams " + s + (s == KafkaStreams.State.CREATED ? " (not started yet)"
                        : "; see the log for ledger_crashed or ledger_state_change"));
    }

    public LedgerMetrics metrics() {
        return metrics;
    }

    /** Copies of known payments dropped at the door (see {@link LedgerMetrics#duplicatesDropped()}). */
    public long duplicatesDropped() {
        return metrics.duplicatesDropped();
    }

    /** Conflicting copies dead-lettered at the door (see {@link LedgerMetrics#conflictsRefused()}). */
    public long conflictsRefused() {
        return metrics.conflictsRefused();
    }

    public LedgerConfig config() {
        return config;
    }

    @Override
    public synchronized void close() {
        if (streamsMetrics != null) {
            streamsMetrics.close();
        }
        if (streams != null) {
            // Leave the group: a new member never takes this one's place, so staying would only hold its partitions
            // unprocessed until the session times out (45 s).
            streams.close(CloseOptions.timeout(Duration.ofSeconds(30))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
        if (http != null) {
            http.close();
        }
        log.atInfo().setMessage("ledger stopped").addKeyValue("event", "ledger_stopped").log();
    }
}
