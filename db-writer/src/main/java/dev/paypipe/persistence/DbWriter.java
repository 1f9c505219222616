package dev.paypipe.persistence;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import com.zaxxer.hikari.metrics.micrometer.MicrometerMetricsTrackerFactory;
import dev.paypipe.persistence.kafka.ResultConsumer;
import dev.paypipe.persistence.kafka.ResultDeadLetters;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
 */
public final class DbWriter implements AutoCloseable {
    /** The {@code application_name} of every connection the db-writer opens. */
    public static final String APPLICATION_NAME = "paypipe-db-writer";
    private static final Logger log = LoggerFactory.getLogger(DbWriter.class);

    private final DbWriterConfig config;
    private final MeterRegistry registry;
    private final Clock clock;
    private final DbWriterMetrics metrics;
    private final List<ResultConsumer> consumers = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();
    private HikariDataSource pool;
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
        log.info("db_writer_starting config={}", config);
        SchemaMigrations.Outcome migration = SchemaMigrations.migrate(config);
        log.info("db_schema_version version={} migrationsApplied={} schema={}", migration.schemaVersion(),
                migration.applied(), config.schema());

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
            consumers.add(consumer);
            Thread thread = new Thread(consumer, name);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
        started = true;
        log.info("db_writer_started consumers={} poolSize={} topic={} groupId={} upsertMethod={}", config.consumers(),
                config.poolSize(), config.kafka().topics().results(), config.groupId(), config.upsertMethod());
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
        log.info("db_writer_stopped rowsWritten={}", rowsWritten());
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
        Map<String, Object> props = new HashMap<>(config.kafka().clientProperties());
        props.put("group.id", config.groupId());
        props.put("client.id", clientId);
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
