package dev.paypipe.persistence.bench;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.TopicAdmin;
import dev.paypipe.kafka.TopicAdmin.TopicSpec;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.ResultColumns;
import dev.paypipe.persistence.ResultRow;
import dev.paypipe.persistence.SchemaMigrations;
import dev.paypipe.persistence.UpsertMethod;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.postgresql.PGConnection;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code db-writer} bench scenario: PostgreSQL's raw ingest ceiling (COPY with C connections in
 * parallel into {@code payment_results}) against the db-writer's end-to-end ingest of the same
 * results pre-loaded into a Kafka topic of C partitions, read by C consumers. Works in throw-away
 * schemas and topics, dropped afterwards. A benchmark reports figures; it asserts nothing.
 */
public final class DbWriterBenchmark {
    private static final Logger log = LoggerFactory.getLogger(DbWriterBenchmark.class);
    private static final Duration DEADLINE = Duration.ofMinutes(10);

    private DbWriterBenchmark() {
    }

    /** Figures of one run; {@code ratioToCopy = writerRowsPerSec / copyRowsPerSec}. */
    public record Report(int connections, int rows, String upsertMethod, double copyRowsPerSec,
            double writerRowsPerSec, double ratioToCopy) {

        /** The {@code dbWriter} scenario object of the bench report. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"connections\": %d, \"rows\": %d, \"upsertMethod\": \"%s\","
                    + " \"copyRowsPerSec\": %.0f, \"writerRowsPerSec\": %.0f, \"ratioToCopy\": %.3f}",
                    connections, rows, upsertMethod, copyRowsPerSec, writerRowsPerSec, ratioToCopy);
        }

        /** The whole report file: {@code {"scenarios": {"dbWriter": {...}}}}. */
        public String toReportJson() {
            return "{\"scenarios\": {\"dbWriter\": " + toJson() + "}}";
        }
    }

    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows) {
        return run(bootstrapServers, jdbcUrl, user, password, connections, rows, DbWriterConfig.DEFAULT_UPSERT_METHOD);
    }

    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows, UpsertMethod method) {
        return run(bootstrapServers, jdbcUrl, user, password, connections, rows, method,
                DbWriterConfig.DEFAULT_MAX_POLL_RECORDS);
    }

    /**
     * Runs a warm-up round (a fifth of the rows, at least 50,000, at most 200,000) whose figures are
     * discarded, so that both measured paths run compiled code, then the measured round.
     */
    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows, UpsertMethod method, int maxPollRecords) {
        return run(bootstrapServers, jdbcUrl, user, password, connections, rows, method, maxPollRecords,
                Math.max(50_000, Math.min(200_000, rows / 5)));
    }

    /** As above with {@code warmUp} rows in the discarded round (small in smoke tests of the bench). */
    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows, UpsertMethod method, int maxPollRecords, int warmUp) {
        Report warm = measure(bootstrapServers, jdbcUrl, user, password, connections, warmUp, method, maxPollRecords);
        log.info("bench_warm_up rows={} ratioToCopy={} (discarded)", warmUp,
                String.format(Locale.ROOT, "%.3f", warm.ratioToCopy()));
        return measure(bootstrapServers, jdbcUrl, user, password, connections, rows, method, maxPollRecords);
    }

    /**
     * PostgreSQL's raw ingest ceiling alone: {@code rows} results COPied with {@code connections} connections in
     * parallel into a throw-away schema (dropped afterwards), after a warm-up COPY of a fifth of them. Rows/s.
     */
    public static double copyCeiling(String jdbcUrl, String user, String password, int connections, int rows) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        DbWriterConfig base = DbWriterConfig.of(KafkaSettings.of("unused:9092", TopicLayout.withPrefix("bench-")),
                jdbcUrl, user, password, connections);
        String schema = "paypipe_bench_ceiling_" + suffix;
        try {
            SchemaMigrations.migrate(base.withSchema(schema));
            copyRate(base.withSchema(schema), results(Math.max(connections, rows / 5)));
            truncate(base.withSchema(schema));
            checkpoint(base);
            return copyRate(base.withSchema(schema), results(rows));
        } finally {
            dropSchemas(base, schema);
        }
    }

    private static void truncate(DbWriterConfig config) {
        try (Connection c = connect(config, "paypipe-bench"); Statement s = c.createStatement()) {
            s.execute("TRUNCATE " + ResultColumns.TABLE);
            c.commit();
        } catch (SQLException e) {
            throw new IllegalStateException("cannot empty the bench table in " + config.schema() + ": " + e, e);
        }
    }

    private static Report measure(String bootstrapServers, String jdbcUrl, String user, String password,
            int connections, int rows, UpsertMethod method, int maxPollRecords) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TopicLayout topics = TopicLayout.withPrefix("bench-" + suffix + "-");
        DbWriterConfig base = DbWriterConfig.of(KafkaSettings.of(bootstrapServers, topics), jdbcUrl, user, password,
                connections).withUpsertMethod(method).withGroupId("paypipe-bench-" + suffix)
                .withMaxPollRecords(maxPollRecords);
        String copySchema = "paypipe_bench_copy_" + suffix;
        String writerSchema = "paypipe_bench_writer_" + suffix;
        List<PaymentResult> results = results(rows);
        try {
            SchemaMigrations.migrate(base.withSchema(copySchema));
            checkpoint(base);
            double copyRate = copyRate(base.withSchema(copySchema), results);
            log.info("bench_copy connections={} rows={} rowsPerSec={}", connections, rows, Math.round(copyRate));
            preload(base.kafka(), connections, results);
            checkpoint(base);
            double writerRate = writerRate(base.withSchema(writerSchema), rows);
            log.info("bench_writer connections={} rows={} method={} rowsPerSec={} ratioToCopy={}", connections, rows,
                    method, Math.round(writerRate), String.format(Locale.ROOT, "%.3f", writerRate / copyRate));
            return new Report(connections, rows, method.name(), copyRate, writerRate, writerRate / copyRate);
        } finally {
            dropSchemas(base, copySchema, writerSchema);
            deleteTopics(bootstrapServers, topics);
        }
    }

    /** Deterministic, realistic results: mostly approved, some declined, a few unknown. */
    static List<PaymentResult> results(int count) {
        List<PaymentResult> results = new ArrayList<>(count);
        Instant t0 = Instant.parse("2025-03-01T10:00:00Z");
        for (int i = 0; i < count; i++) {
            PaymentStatus status = i % 20 == 0 ? PaymentStatus.UNKNOWN
                    : i % 7 == 0 ? PaymentStatus.DECLINED : PaymentStatus.APPROVED;
            Instant completed = t0.plusMillis(i * 3L);
            results.add(new PaymentResult("bench-" + i, "order-" + i, status,
                    new BigDecimal(10 + i % 990 + "." + (i % 100 < 10 ? "0" : "") + i % 100), "EUR",
                    status == PaymentStatus.UNKNOWN ? null : "ch_" + Long.toHexString(0x5eed0000L + i),
                    status == PaymentStatus.DECLINED ? "insufficient_funds" : null,
                    status == PaymentStatus.UNKNOWN ? "GatewayTimeout" : null,
                    status == PaymentStatus.UNKNOWN ? "ambiguous timeouts exhausted after 4 attempts" : null,
                    1 + i % 3, completed.minusMillis(250), completed));
        }
        return results;
    }

    private static double copyRate(DbWriterConfig config, List<PaymentResult> results) {
        int c = config.consumers();
        List<byte[]> slices = new ArrayList<>(c);
        for (int s = 0; s < c; s++) {
            List<ResultRow> slice = new ArrayList<>();
            for (int i = s; i < results.size(); i += c) {
                slice.add(new ResultRow(results.get(i), s, i));
            }
            slices.add(ResultColumns.copyText(slice)); // encoded up front: only PostgreSQL is timed
        }
        String copy = "COPY " + ResultColumns.TABLE + " (" + ResultColumns.LIST + ") FROM STDIN";
        ExecutorService pool = Executors.newFixedThreadPool(c);
        try {
            List<Connection> connections = new ArrayList<>();
            for (int s = 0; s < c; s++) {
                connections.add(connect(config, "paypipe-bench-copy"));
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> done = new ArrayList<>();
            for (int s = 0; s < c; s++) {
                Connection connection = connections.get(s);
                byte[] text = slices.get(s);
                done.add(pool.submit(() -> {
                    go.await();
                    long n = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(copy,
                            new ByteArrayInputStream(text));
                    connection.commit();
                    return n;
                }));
            }
            long started = System.nanoTime();
            go.countDown();
            long copied = 0;
            for (Future<Long> f : done) {
                copied += f.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            double seconds = (System.nanoTime() - started) / 1e9;
            for (Connection connection : connections) {
                connection.close();
            }
            return copied / seconds;
        } catch (Exception e) {
            throw new IllegalStateException("bench COPY phase failed: " + e, e);
        } finally {
            pool.shutdownNow();
        }
    }

    private static void preload(KafkaSettings kafka, int partitions, List<PaymentResult> results) {
        try (Admin admin = Admin.create(kafka.clientProperties())) {
            TopicAdmin.ensureTopics(admin, List.of(TopicSpec.of(kafka.topics().results(), partitions),
                    TopicSpec.of(kafka.topics().resultsDlq(), 1)), (short) 1, Duration.ofSeconds(60));
        }
        Map<String, Object> props = new HashMap<>(kafka.clientProperties());
        props.putAll(Map.of("acks", "all", "enable.idempotence", true, "linger.ms", 20, "batch.size", 524_288));
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(props, new StringSerializer(),
                new ByteArraySerializer())) {
            List<Future<RecordMetadata>> acks = new ArrayList<>(results.size());
            for (PaymentResult r : results) {
                acks.add(producer.send(new ProducerRecord<>(kafka.topics().results(), r.paymentId(),
                        PaymentJson.encodeResult(r))));
            }
            for (Future<RecordMetadata> ack : acks) {
                ack.get(DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pre-loading the bench topic", e);
        } catch (Exception e) {
            throw new IllegalStateException("cannot pre-load " + results.size() + " results into "
                    + kafka.topics().results() + ": " + e, e);
        }
    }

    /**
     * Steady-state rows per second: from the moment a fifth of the rows is written to the last one.
     * Consumer-group join (seconds on a real cluster's default initial rebalance delay) and JIT
     * warm-up are not ingest and are left out; the COPY side has neither.
     */
    private static double writerRate(DbWriterConfig config, int rows) {
        SimpleMeterRegistry registry = new SimpleMeterRegistry();
        try (DbWriter writer = new DbWriter(config, registry)) {
            writer.start();
            long deadline = System.nanoTime() + DEADLINE.toNanos();
            long warm = rows / 5;
            long fromAt = 0;
            long fromRows = 0;
            long written;
            while ((written = writer.rowsWritten()) < rows) {
                if (fromAt == 0 && written >= warm) {
                    fromAt = System.nanoTime();
                    fromRows = written;
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("db-writer wrote " + written + " of " + rows + " rows within "
                            + DEADLINE);
                }
                LockSupport.parkNanos(2_000_000); // sampling period of the measurement (2 ms)
            }
            long endAt = System.nanoTime();
            if (fromAt == 0 || rows - fromRows < rows / 2) {
                throw new IllegalStateException("bench too small to measure a steady state with " + rows
                        + " rows (batches of " + config.maxPollRecords() + "); use more rows");
            }
            var latency = registry.get("paypipe.db.batch.latency").timer();
            log.info("bench_writer_batches count={} meanMs={} databaseBusyPerConsumer={}", latency.count(),
                    Math.round(latency.mean(TimeUnit.MILLISECONDS)), String.format(Locale.ROOT, "%.2f",
                            latency.totalTime(TimeUnit.NANOSECONDS) / config.consumers() / (endAt - fromAt)
                                    * (rows - fromRows) / rows));
            return (rows - fromRows) / ((endAt - fromAt) / 1e9);
        }
    }

    private static Connection connect(DbWriterConfig config, String applicationName) throws SQLException {
        PGSimpleDataSource ds = new PGSimpleDataSource();
        ds.setURL(config.jdbcUrl());
        ds.setUser(config.user());
        ds.setPassword(config.password());
        ds.setApplicationName(applicationName);
        ds.setCurrentSchema(config.schema());
        Connection c = ds.getConnection();
        c.setAutoCommit(false);
        return c;
    }

    /**
     * Flushes dirty pages before a timed phase, so neither phase pays for a checkpoint the other
     * caused. Needs superuser or pg_checkpoint; without them the phases just run as they are.
     */
    private static void checkpoint(DbWriterConfig config) {
        try (Connection c = connect(config.withSchema("public"), "paypipe-bench"); Statement s = c.createStatement()) {
            c.setAutoCommit(true);
            s.execute("CHECKPOINT");
        } catch (SQLException e) {
            log.info("bench_checkpoint_skipped: {}", e.getMessage());
        }
    }

    private static void dropSchemas(DbWriterConfig config, String... schemas) {
        try (Connection c = connect(config.withSchema("public"), "paypipe-bench"); Statement s = c.createStatement()) {
            for (String schema : schemas) {
                s.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            c.commit();
        } catch (SQLException e) {
            log.warn("bench_cleanup_failed schemas={}: {}", List.of(schemas), e.toString());
        }
    }

    private static void deleteTopics(String bootstrapServers, TopicLayout topics) {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrapServers))) {
            admin.deleteTopics(List.of(topics.results(), topics.resultsDlq())).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            log.warn("bench_cleanup_failed topics={}: {}", topics.results(), e.toString());
        }
    }

    /**
     * {@code --bootstrap-servers H:P --jdbc-url URL [--user U] [--password-env VAR] [--connections C]
     * [--rows N] [--upsert-method M] [--report-json FILE]}; prints the report JSON.
     */
    public static void main(String[] args) throws IOException {
        Properties a = new Properties();
        for (int i = 0; i + 1 < args.length; i += 2) {
            if (!args[i].startsWith("--")) {
                throw new IllegalArgumentException("expected --option value pairs, got " + args[i]);
            }
            a.setProperty(args[i].substring(2), args[i + 1]);
        }
        String passwordEnv = a.getProperty("password-env");
        String password = passwordEnv == null ? "" : System.getenv(passwordEnv);
        Report report = run(required(a, "bootstrap-servers"), required(a, "jdbc-url"),
                a.getProperty("user", "postgres"), password,
                Integer.parseInt(a.getProperty("connections", "2")), Integer.parseInt(a.getProperty("rows", "300000")),
                UpsertMethod.valueOf(a.getProperty("upsert-method", DbWriterConfig.DEFAULT_UPSERT_METHOD.name())));
        String json = report.toReportJson();
        if (a.getProperty("report-json") != null) {
            Files.writeString(Path.of(a.getProperty("report-json")), json + "\n", StandardCharsets.UTF_8);
        }
        System.out.println(json);
    }

    private static String required(Properties a, String name) {
        String v = a.getProperty(name);
        if (v == null) {
            throw new IllegalArgumentException("missing --" + name);
        }
        return v;
    }
}
