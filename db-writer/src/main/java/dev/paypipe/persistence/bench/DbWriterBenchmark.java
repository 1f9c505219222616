package dev.paypipe.persistence.bench;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.SchemaMigrations;
import dev.paypipe.persistence.UpsertMethod;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code db-writer} bench scenario: PostgreSQL's raw ingest ceiling ({@link CopyPhase}: COPY with C
 * connections in parallel into {@code payment_results}) against the db-writer's end-to-end ingest of
 * the same results pre-loaded into a Kafka topic of C partitions, read by C consumers
 * ({@link WriterPhase}). {@value #WARM_UP_ROUNDS} discarded warm-up rounds, then {@code repetitions} rounds
 * interleaved (copy, writer, copy, writer, ...) so that a GC pause, a checkpoint or another process's burst hits
 * one repetition, not a whole side; each side's figure is its best repetition (the same rule for both).
 * Works in throw-away schemas and topics, dropped afterwards. A benchmark reports figures; it asserts
 * nothing.
 */
public final class DbWriterBenchmark {
    /** Interleaved repetitions of each side in the bench's full size. */
    public static final int DEFAULT_REPETITIONS = 5;
    /**
     * Discarded rounds before the measured ones: the writer's path (consumer, broker, driver) is still being
     * compiled through the first two on 2 busy cores, and the compiler competes with it for the cores.
     */
    static final int WARM_UP_ROUNDS = 2;
    /** How each side's figure is chosen from its repetitions; the same for both sides. */
    public static final String FIGURE_RULE = "best repetition of each side";
    private static final Logger log = LoggerFactory.getLogger(DbWriterBenchmark.class);

    private DbWriterBenchmark() {
    }

    /**
     * One interleaved round: a COPY measurement, then a db-writer measurement, each with its CPU per row (µs;
     * PostgreSQL's is NaN, {@code null} in JSON, when its processes cannot be read). The writer's JVM figure
     * holds its consumer threads plus the in-process broker, GC and JIT; {@code writerJitMillis} and
     * {@code writerGcMillis} are the compiler's and the collector's time within the writer's window.
     */
    public record Repetition(double copyRowsPerSec, double writerRowsPerSec, double copyPostgresCpuMicrosPerRow,
            double writerPostgresCpuMicrosPerRow, double writerJvmCpuMicrosPerRow,
            double writerConsumerThreadsCpuMicrosPerRow, long writerJitMillis, long writerGcMillis) {

        public double ratioToCopy() {
            return writerRowsPerSec / copyRowsPerSec;
        }

        static Repetition of(Measurement copy, Measurement writer) {
            return new Repetition(copy.rowsPerSec(), writer.rowsPerSec(),
                    copy.postgresCpuMicrosPerRow().orElse(Double.NaN),
                    writer.postgresCpuMicrosPerRow().orElse(Double.NaN), writer.jvmCpuMicrosPerRow(),
                    writer.consumerThreadsCpuMicrosPerRow(), writer.cpu().jitMillis(), writer.cpu().gcMillis());
        }

        String toJson() {
            return String.format(Locale.ROOT, "{\"copyRowsPerSec\": %.0f, \"writerRowsPerSec\": %.0f,"
                    + " \"ratioToCopy\": %.3f, \"copyPostgresCpuMicrosPerRow\": %s,"
                    + " \"writerPostgresCpuMicrosPerRow\": %s, \"writerJvmCpuMicrosPerRow\": %s,"
                    + " \"writerConsumerThreadsCpuMicrosPerRow\": %s, \"writerJitMillis\": %d, \"writerGcMillis\": %d}",
                    copyRowsPerSec, writerRowsPerSec, ratioToCopy(), micros(copyPostgresCpuMicrosPerRow),
                    micros(writerPostgresCpuMicrosPerRow), micros(writerJvmCpuMicrosPerRow),
                    micros(writerConsumerThreadsCpuMicrosPerRow), writerJitMillis, writerGcMillis);
        }

        private static String micros(double v) {
            return Double.isNaN(v) ? "null" : String.format(Locale.ROOT, "%.2f", v);
        }
    }

    /**
     * Figures of one run: each side's best repetition ({@link #FIGURE_RULE}) and
     * {@code ratioToCopy = writerRowsPerSec / copyRowsPerSec}; every repetition in run order.
     */
    public record Report(int connections, int rows, String upsertMethod, double copyRowsPerSec,
            double writerRowsPerSec, double ratioToCopy, List<Repetition> repetitions) {

        public Report {
            repetitions = List.copyOf(repetitions);
        }

        static Report of(int connections, int rows, String upsertMethod, List<Repetition> repetitions) {
            double copy = repetitions.stream().mapToDouble(Repetition::copyRowsPerSec).max().orElseThrow();
            double writer = repetitions.stream().mapToDouble(Repetition::writerRowsPerSec).max().orElseThrow();
            return new Report(connections, rows, upsertMethod, copy, writer, writer / copy, repetitions);
        }

        /** The {@code dbWriter} scenario object of the bench report. */
        public String toJson() {
            return String.format(Locale.ROOT, "{\"connections\": %d, \"rows\": %d, \"upsertMethod\": \"%s\","
                    + " \"copyRowsPerSec\": %.0f, \"writerRowsPerSec\": %.0f, \"ratioToCopy\": %.3f,"
                    + " \"figureRule\": \"%s\", \"repetitions\": [%s]}",
                    connections, rows, upsertMethod, copyRowsPerSec, writerRowsPerSec, ratioToCopy, FIGURE_RULE,
                    repetitions.stream().map(Repetition::toJson).collect(Collectors.joining(", ")));
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

    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows, UpsertMethod method, int maxPollRecords) {
        return run(bootstrapServers, jdbcUrl, user, password, connections, rows, method, maxPollRecords,
                DEFAULT_REPETITIONS);
    }

    /**
     * Discarded warm-up rounds (both paths then run compiled code), then {@code repetitions} interleaved
     * rounds on the same rows: one writer, paused between its measurements, reads the rows published anew
     * for each.
     */
    public static Report run(String bootstrapServers, String jdbcUrl, String user, String password, int connections,
            int rows, UpsertMethod method, int maxPollRecords, int repetitions) {
        if (repetitions < 1) {
            throw new IllegalArgumentException("repetitions must be >= 1, was " + repetitions);
        }
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        TopicLayout topics = TopicLayout.withPrefix("bench-" + suffix + "-");
        DbWriterConfig base = DbWriterConfig.of(KafkaSettings.of(bootstrapServers, topics), jdbcUrl, user, password,
                connections).withUpsertMethod(method).withMaxPollRecords(maxPollRecords);
        String copySchema = "paypipe_bench_copy_" + suffix;
        String writerSchema = "paypipe_bench_writer_" + suffix;
        try {
            SchemaMigrations.migrate(base.withSchema(copySchema));
            // the results themselves are dropped once encoded: COPY text and JSON records stay on the heap
            List<PaymentResult> results = results(rows);
            CopyPhase copy = new CopyPhase(base.withSchema(copySchema), results);
            try (WriterPhase writer = WriterPhase.open(base.withSchema(writerSchema)
                    .withGroupId("paypipe-bench-" + suffix), results)) {
                results = null;
                List<Repetition> measured = new ArrayList<>(repetitions);
                for (int round = 1 - WARM_UP_ROUNDS; round <= repetitions; round++) {
                    Repetition r = Repetition.of(copy.measure(), writer.measure());
                    log.info("bench_round round={} of={} method={} {}", round, repetitions, method,
                            round < 1 ? "(warm-up, discarded) " + r.toJson() : r.toJson());
                    if (round >= 1) {
                        measured.add(r);
                    }
                }
                return Report.of(connections, rows, method.name(), measured);
            }
        } finally {
            BenchChores.dropSchemas(base, List.of(copySchema, writerSchema));
            deleteTopics(bootstrapServers, topics);
        }
    }

    /**
     * PostgreSQL's raw ingest ceiling alone, measured as the scenario's COPY side is ({@link CopyPhase}):
     * {@code rows} results COPied with {@code connections} connections in parallel into a throw-away schema
     * (dropped afterwards), after {@value #WARM_UP_ROUNDS} discarded COPYs, best of {@link #DEFAULT_REPETITIONS}.
     * Rows/s.
     */
    public static double copyCeiling(String jdbcUrl, String user, String password, int connections, int rows) {
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        DbWriterConfig base = DbWriterConfig.of(KafkaSettings.of("unused:9092", TopicLayout.withPrefix("bench-")),
                jdbcUrl, user, password, connections);
        String schema = "paypipe_bench_ceiling_" + suffix;
        try {
            SchemaMigrations.migrate(base.withSchema(schema));
            CopyPhase copy = new CopyPhase(base.withSchema(schema), results(rows));
            for (int i = 0; i < WARM_UP_ROUNDS; i++) {
                copy.measure();
            }
            double best = 0;
            for (int i = 0; i < DEFAULT_REPETITIONS; i++) {
                best = Math.max(best, copy.measure().rowsPerSec());
            }
            return best;
        } finally {
            BenchChores.dropSchemas(base, List.of(schema));
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
     * [--rows N] [--upsert-method M] [--repetitions R] [--report-json FILE]}; prints the report JSON.
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
                UpsertMethod.valueOf(a.getProperty("upsert-method", DbWriterConfig.DEFAULT_UPSERT_METHOD.name())),
                DbWriterConfig.DEFAULT_MAX_POLL_RECORDS,
                Integer.parseInt(a.getProperty("repetitions", Integer.toString(DEFAULT_REPETITIONS))));
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
