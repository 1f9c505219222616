package dev.paypipe.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusSource;
import dev.paypipe.metrics.KafkaClientBinding;
import dev.paypipe.persistence.kafka.ResultConsumer;
import dev.paypipe.persistence.kafka.ResultDeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.sql.DataSource;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Persists {@code payment-results} into PostgreSQL's {@code payment_results} table with
 * {@link DbWriterConfig#consumers()} consumer threads and a HikariCP pool of exactly that many
 * connections: database concurrency can never exceed C, however many results arrive. While the
 * database is unavailable, results wait in Kafka, not in memory or threads.
 *
 * <p>Connections carry {@code ApplicationName=paypipe-db-writer}, so
 * {@code pg_stat_activity} shows exactly what this writer holds.
 *
 * <p>An operator pause ({@link #controlTarget()}) stops fetching on every consumer; batches already
 * fetched are written. Hikari's and each Kafka consumer's meters go to the registry it is given.
 */
public final class DbWriter implements AutoCloseable {
    /** The {@code application_name} of every connection the db-writer opens. */
    public static final String APPLICATION_NAME = "paypipe-db-writer";
    private static final Logger log = LoggerFactory.getLogger(DbWriter.class);

    private final DbWriterConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final DbWriterMetrics metrics;
    private final List<ResultConsumer> consumers = new CopyOnWriteArrayList<>();
    private final List<KafkaConsumer<byte[], byte[]>> kafkaConsumers = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> clientMetrics = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    /** The operator pause in force (reason, by, since), or null; applied to consumers created later too. */
    private volatile Pause operatorPause;
    private volatile HikariDataSource pool;
    private ResultDeadLetters deadLetters;
    private volatile boolean started;
    private volatile boolean closed;

    public DbWriter(DbWriterConfig config, MeterRegistry registry) {
        this(config, registry, Clock.systemUTC());
    }

    /** With an injected clock for the dead letters' time header. */
    public DbWriter(DbWriterConfig config, MeterRegistry registry, Clock clock) {
        this.config = config;
        this.registry = registry;
        this.clock = clock;
        this.metrics = new DbWriterMetrics(registry, this::isReady);
    }

    /**
     * Migrates the schema (logging its version), opens the pool and starts the consumer threads.
     *
     * @throws IllegalStateException when the schema cannot be migrated (database unreachable, bad credentials)
     */
    public synchronized void start() {
        if (started || closed) {
            throw new IllegalStateException("a DbWriter can be started once; it is " + (closed ? "closed" : "running"));
        }
        log.atInfo().setMessage("db-writer starting").addKeyValue("event", "db_writer_starting")
                .addKeyValue("config", config.toString()).log();
        SchemaMigrations.Outcome migration = SchemaMigrations.migrate(config);
        log.atInfo().setMessage("database schema migrated").addKeyValue("event", "db_schema_version")
                .addKeyValue("version", migration.schemaVersion()).addKeyValue("migrationsApplied", migration.applied())
                .addKeyValue("schema", config.schema()).log();

        pool = openPool(config, registry);
        ResultRepository repository = new ResultRepository(pool, config.upsertMethod());
        deadLetters = new ResultDeadLetters(new KafkaProducer<>(producerProperties(), new ByteArraySerializer(),
                new ByteArraySerializer()), config.kafka().topics().resultsDlq(), clock);
        RetryBackoff backoff = new RetryBackoff(config.retryBackoffInitial(), config.retryBackoffMax());
        for (int i = 0; i < config.consumers(); i++) {
            String name = APPLICATION_NAME + "-" + i;
            KafkaConsumer<byte[], byte[]> kafkaConsumer = new KafkaConsumer<>(consumerProperties(name),
                    new ByteArrayDeserializer(), new ByteArrayDeserializer());
            ResultConsumer consumer = new ResultConsumer(name, kafkaConsumer, config.kafka().topics().results(),
                    repository, deadLetters, metrics, backoff);
            consumer.setOperatorPaused(operatorPause != null);
            clientMetrics.add(KafkaClientBinding.bind(kafkaConsumer, registry, "db-writer-" + i));
            kafkaConsumers.add(kafkaConsumer);
            consumers.add(consumer);
            Thread thread = new Thread(consumer, name);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        started = true;
        log.atInfo().setMessage("db-writer started").addKeyValue("event", "db_writer_started")
                .addKeyValue("consumers", config.consumers()).addKeyValue("poolSize", config.poolSize())
                .addKeyValue("topic", config.kafka().topics().results()).addKeyValue("groupId", config.groupId())
                .addKeyValue("upsertMethod", config.upsertMethod()).addKeyValue("paused", operatorPause != null).log();
    }

    /** True once started while every consumer can write; false while the database is unreachable. */
    public boolean isReady() {
        if (!started || closed) {
            return false;
        }
        for (ResultConsumer consumer : consumers) {
            if (!consumer.isHealthy()) {
                return false;
            }
        }
        return true;
    }

    /** Who paused the db-writer, why and when. */
    public record Pause(String reason, String by, Instant since) {
    }

    /** Operator pause: every consumer stops fetching (polling continues, no rebalance); idempotent. */
    public void pause(String reason, String by) {
        Pause current = operatorPause;
        operatorPause = new Pause(reason, by, current == null ? clock.instant() : current.since());
        consumers.forEach(c -> c.setOperatorPaused(true));
        if (current == null) {
            log.atWarn().setMessage("db-writer paused by operator").addKeyValue("event", "consumer_paused")
                    .addKeyValue("by", by).addKeyValue("reason", reason).log();
        }
    }

    public void resume() {
        Pause was = operatorPause;
        operatorPause = null;
        consumers.forEach(c -> c.setOperatorPaused(false));
        if (was != null) {
            log.atWarn().setMessage("db-writer resumed by operator").addKeyValue("event", "consumer_resumed")
                    .addKeyValue("pausedBy", was.by()).log();
        }
    }

    public Optional<Pause> operatorPause() {
        return Optional.ofNullable(operatorPause);
    }

    /** The fleet's commands as they apply here: pause and resume; breaker commands do not concern the db-writer. */
    public ControlTarget controlTarget() {
        return new ControlTarget() {
            @Override
            public void pause(String reason, String by) {
                DbWriter.this.pause(reason, by);
            }

            @Override
            public void resume() {
                DbWriter.this.resume();
            }

            @Override
            public void breaker(BreakerMode mode) {
            }
        };
    }

    /** The pool once started (for the readiness check), empty before. */
    public Optional<DataSource> dataSource() {
        return Optional.ofNullable(pool);
    }

    /** Heartbeat: pause, lag per partition of {@code payment-results}, database readiness and rows written. */
    public StatusSource statusSource(ProcessInstance instance) {
        return () -> {
            Map<String, Long> lag = new TreeMap<>();
            kafkaConsumers.forEach(c -> lag.putAll(KafkaClientBinding.lagByPartition(c)));
            Pause pause = operatorPause;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("db", isReady() ? "ready" : "not-ready");
            details.put("rowsWritten", Long.toString(rowsWritten()));
            details.put("consumers", Integer.toString(config.consumers()));
            details.put("fetching", fetchingStopped() ? "stopped" : "running");
            return instance.report(clock.instant(), pause != null, pause == null ? null : pause.by(),
                    pause == null ? null : pause.reason(), null, 0, lag, Map.of(), details);
        };
    }

    /**
     * True once every consumer has applied the operator pause: nothing fetched from then on is written until
     * {@link #resume()}; until then a poll already under way may still fetch.
     */
    public boolean fetchingStopped() {
        return !consumers.isEmpty() && consumers.stream().allMatch(ResultConsumer::operatorPauseApplied);
    }

    /** Rows inserted or updated so far (a result that lost to the stored one is not counted). */
    public long rowsWritten() {
        return metrics.rowsWritten();
    }

    public DbWriterConfig config() {
        return config;
    }

    /** Stops the consumers (each finishes and commits its current batch), then closes the pool. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        // Meters first: they read the consumers, which close themselves when their thread ends.
        for (AutoCloseable binding : clientMetrics) {
            try {
                binding.close();
            } catch (Exception e) {
                log.atDebug().setMessage("client metrics unbind failed").addKeyValue("error", e.toString()).log();
            }
        }
        consumers.forEach(ResultConsumer::stop);
        for (Thread thread : threads) {
            try {
                thread.join(config.connectionTimeout().toMillis() + 30_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        if (deadLetters != null) {
            deadLetters.close();
        }
        if (pool != null) {
            pool.close();
        }
        log.atInfo().setMessage("db-writer stopped").addKeyValue("event", "db_writer_stopped")
                .addKeyValue("rowsWritten", rowsWritten()).log();
    }

    /** The pool of exactly {@code poolSize} (= consumers) connections, each named {@link #APPLICATION_NAME}. */
    static HikariDataSource openPool(DbWriterConfig config, MeterRegistry registry) {
        HikariConfig hikari = new HikariConfig();
        hikari.setPoolName(APPLICATION_NAME);
        hikari.setJdbcUrl(config.jdbcUrl());
        hikari.setUsername(config.user());
        hikari.setPassword(config.password());
        hikari.setSchema(config.schema());
        // the cap: one connection per consumer, never more, and no churn below it
        hikari.setMaximumPoolSize(config.poolSize());
        hikari.setMinimumIdle(config.poolSize());
        hikari.setAutoCommit(false);
        hikari.setConnectionTimeout(config.connectionTimeout().toMillis());
        hikari.setValidationTimeout(Math.min(config.connectionTimeout().toMillis(), 2_000));
        // a database that is down at start must not stop start-up here: migrations already proved it was reachable
        hikari.setInitializationFailTimeout(-1);
        hikari.addDataSourceProperty("ApplicationName", APPLICATION_NAME);
        hikari.addDataSourceProperty("reWriteBatchedInserts", "true");
        hikari.addDataSourceProperty("tcpKeepAlive", "true");
        hikari.setMetricsTrackerFactory(new MicrometerMetricsTrackerFactory(registry));
        return new HikariDataSource(hikari);
    }

    private Map<String, Object> consumerProperties(String clientId) {
        Map<String, Object> props = config.kafka().consumerProperties(config.groupId(), clientId);
        props.put("enable.auto.commit", false);
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        props.put("max.poll.records", config.maxPollRecords());
        // large enough that one fetch can fill a whole batch (results are ~300-400 bytes)
        props.putIfAbsent("max.partition.fetch.bytes", Math.max(1 << 20, config.maxPollRecords() * 1024));
        return props;
    }

    private Map<String, Object> producerProperties() {
        Map<String, Object> props = config.kafka().producerProperties("paypipe-db-writer-dlq");
        props.put("linger.ms", 5);
        return props;
    }
}
