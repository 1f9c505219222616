package dev.paypipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.testkit.TestInfra;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * The whole pipeline in one process: embedded broker and PostgreSQL, the gateway simulator, one
 * worker and one db-writer. Publishes payments, waits for a final database row for each, and reports.
 */
final class Demo {
    record Options(int payments, int rate, long gatewayLatencyMs, double faultRate, double declineRate,
            int outageSeconds, int dbConsumers, int partitions, int maxInFlight, int timeoutSeconds, Path reportJson) {
    }

    private final Options o;
    private final PrintStream out;

    Demo(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    int run() throws Exception {
        out.printf("paypipe demo: %d payments, rate %s, gateway latency %d ms, fault rate %.2f, outage %d s, "
                + "db-writer consumers %d%n", o.payments, o.rate == 0 ? "max" : o.rate + "/s", o.gatewayLatencyMs,
                o.faultRate, o.outageSeconds, o.dbConsumers);
        long t0 = System.nanoTime();
        KafkaBroker kafka = TestInfra.kafka();
        PostgresServer postgres = TestInfra.postgres();
        PostgresDatabase db = postgres.freshDatabase();
        KafkaSettings topics = kafka.freshTopics(o.partitions);
        SimulatorConfig simConfig = FaultMix.apply(SimulatorConfig.builder()
                .latency(Duration.ofMillis(o.gatewayLatencyMs)).declineRate(o.declineRate), o.faultRate).build();
        out.printf("  infrastructure ready in %d ms: %s, %s%n", (System.nanoTime() - t0) / 1_000_000, kafka.describe(),
                postgres.describe());

        Duration responseTimeout = Duration.ofMillis(Math.max(1000, o.gatewayLatencyMs * 4));
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig)) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofSeconds(1), responseTimeout, Math.max(o.maxInFlight, 1), 2);
            // A demo run should end in seconds, so retries back off to at most 10 s (production default: 10 min).
            WorkerConfig workerConfig = WorkerConfig.of(topics, gateway).withMaxInFlight(o.maxInFlight)
                    .withRampPeriod(Duration.ofSeconds(2))
                    .withRetry(new RetryPolicy(RetryPolicy.DEFAULT_TIERS, Duration.ofMillis(200), Duration.ofSeconds(10), 10));
            DbWriterConfig dbConfig = DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), o.dbConsumers);
            PaymentFactory factory = new PaymentFactory("demo");
            try (DbWriter writer = new DbWriter(dbConfig, new SimpleMeterRegistry());
                    PaymentWorker worker = new PaymentWorker(workerConfig, new SimpleMeterRegistry());
                    ConnectionSampler sampler = new ConnectionSampler(db);
                    LatencyProbe latency = new LatencyProbe(topics, o.payments);
                    PaymentPublisher publisher = new PaymentPublisher(topics)) {
                writer.start();
                worker.start();
                sampler.start();

                long start = System.currentTimeMillis();
                AtomicInteger published = new AtomicInteger();
                Thread producer = new Thread(() -> publish(publisher, factory, latency, published), "demo-publisher");
                producer.start();

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds + o.outageSeconds);
                RowCounter counter = new RowCounter(db);
                boolean outageStarted = o.outageSeconds == 0;
                long rows = 0;
                long lastPrint = 0;
                while (System.nanoTime() < deadline) {
                    rows = counter.count();
                    if (!outageStarted && latency.received() >= o.payments / 2) {
                        sim.beginOutage(Duration.ofSeconds(o.outageSeconds));
                        outageStarted = true;
                        out.printf("  gateway outage begins (%d s)%n", o.outageSeconds);
                    }
                    if (System.nanoTime() - lastPrint > 1_000_000_000L || rows >= o.payments) {
                        lastPrint = System.nanoTime();
                        out.printf("  %5.1f s  published %d  results %d  db rows %d  in flight %d  breaker %s%n",
                                (System.currentTimeMillis() - start) / 1000.0, published.get(), latency.received(), rows,
                                worker.inFlight(), worker.breakerState());
                    }
                    if (rows >= o.payments) {
                        break;
                    }
                    Thread.sleep(100); // progress display cadence, not a synchronisation wait
                }
                producer.join();
                counter.close();

                Map<String, Object> report = report(db, sim, worker, sampler, latency, start);
                printVerdict(report);
                if (o.reportJson != null) {
                    Path parent = o.reportJson.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(o.reportJson.toFile(), report);
                    out.println("  report written to " + o.reportJson);
                }
                boolean ok = (long) report.get("lost") == 0 && (long) report.get("chargedTwice") == 0
                        && (long) report.get("nonFinal") == 0;
                return ok ? 0 : 1;
            }
        }
    }

    private void publish(PaymentPublisher publisher, PaymentFactory factory, LatencyProbe latency, AtomicInteger published) {
        long startNanos = System.nanoTime();
        for (int i = 0; i < o.payments; i++) {
            if (o.rate > 0) {
                long due = startNanos + (long) i * 1_000_000_000L / o.rate;
                long wait = due - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
            }
            latency.published(i);
            publisher.publish(factory.request(i));
            published.incrementAndGet();
        }
        publisher.flush();
    }

    private Map<String, Object> report(PostgresDatabase db, GatewaySimulator sim, PaymentWorker worker,
            ConnectionSampler sampler, LatencyProbe latency, long startMillis) throws SQLException {
        Map<String, Long> statuses = new LinkedHashMap<>();
        for (String s : new String[] {"APPROVED", "DECLINED", "REJECTED", "FAILED", "UNKNOWN"}) {
            statuses.put(s, 0L);
        }
        long rows = 0;
        long nonFinal = 0;
        long lastWrite = startMillis;
        try (Connection c = db.connect(); Statement st = c.createStatement()) {
            try (ResultSet rs = st.executeQuery("SELECT status, count(*), max(updated_at) FROM payment_results GROUP BY status")) {
                while (rs.next()) {
                    String status = rs.getString(1);
                    long n = rs.getLong(2);
                    rows += n;
                    if (statuses.containsKey(status)) {
                        statuses.put(status, n);
                    } else {
                        nonFinal += n;
                    }
                    Timestamp t = rs.getTimestamp(3);
                    lastWrite = Math.max(lastWrite, t.getTime());
                }
            }
        }
        long elapsed = Math.max(1, lastWrite - startMillis);
        Histogram h = latency.histogram();
        Map<String, Object> latencyMs = new LinkedHashMap<>();
        latencyMs.put("p50", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(50));
        latencyMs.put("p99", h.getTotalCount() == 0 ? 0 : h.getValueAtPercentile(99));
        latencyMs.put("max", h.getTotalCount() == 0 ? 0 : h.getMaxValue());

        Map<String, Object> r = new LinkedHashMap<>();
        r.put("payments", o.payments);
        r.put("statuses", statuses);
        r.put("dbRows", rows);
        r.put("lost", Math.max(0, o.payments - rows));
        r.put("chargedTwice", sim.ledger().chargedTwice());
        r.put("nonFinal", nonFinal);
        r.put("elapsedMs", elapsed);
        r.put("throughputPerSec", Math.round(rows * 1000.0 / elapsed));
        r.put("latencyMs", latencyMs);
        r.put("dbPoolCap", o.dbConsumers);
        r.put("maxDbConnectionsSeen", sampler.max());
        r.put("gatewayCallsPerPayment", round(sim.stats().chargeCalls() / (double) o.payments));
        r.put("gatewayLookupsPerPayment", round(sim.stats().lookupCalls() / (double) o.payments));
        r.put("gatewayCallsDuringOutage", sim.stats().chargeCallsDuringOutage());
        r.put("breakerOpenMs", worker.breakerOpenMillis());
        Map<String, Long> tiers = new LinkedHashMap<>();
        worker.retriesByTier().forEach((tier, n) -> tiers.put(tier.toString(), n));
        r.put("retriesByTier", tiers);
        r.put("deadLetters", worker.deadLetters());
        return r;
    }

    private void printVerdict(Map<String, Object> r) {
        out.println();
        out.printf("  statuses            %s%n", r.get("statuses"));
        out.printf("  db rows             %s of %s (lost %s, non-final %s)%n", r.get("dbRows"), r.get("payments"),
                r.get("lost"), r.get("nonFinal"));
        out.printf("  charged twice       %s%n", r.get("chargedTwice"));
        out.printf("  throughput          %s payments/s end to end (%s ms)%n", r.get("throughputPerSec"), r.get("elapsedMs"));
        out.printf("  latency ms          %s%n", r.get("latencyMs"));
        out.printf("  gateway calls/pay   %s (look-ups/pay %s, calls during outage %s, breaker open %s ms)%n",
                r.get("gatewayCallsPerPayment"), r.get("gatewayLookupsPerPayment"), r.get("gatewayCallsDuringOutage"),
                r.get("breakerOpenMs"));
        out.printf("  db connections      max %s seen, cap %s%n", r.get("maxDbConnectionsSeen"), r.get("dbPoolCap"));
        boolean ok = (long) r.get("lost") == 0 && (long) r.get("chargedTwice") == 0 && (long) r.get("nonFinal") == 0;
        out.println(ok ? "  VERDICT: OK - every payment has exactly one final row, none lost, none charged twice"
                : "  VERDICT: FAILED - see lost / chargedTwice / nonFinal above");
    }

    private static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }

    /** Counts result rows over one connection (the table appears once the db-writer has migrated). */
    private static final class RowCounter implements AutoCloseable {
        private final PostgresDatabase db;
        private Connection connection;

        RowCounter(PostgresDatabase db) {
            this.db = db;
        }

        long count() throws SQLException {
            if (connection == null) {
                connection = db.connect();
            }
            try (Statement st = connection.createStatement();
                    ResultSet rs = st.executeQuery("SELECT count(*) FROM payment_results")) {
                rs.next();
                return rs.getLong(1);
            } catch (SQLException e) {
                if ("42P01".equals(e.getSQLState())) {
                    return 0; // the db-writer has not migrated yet
                }
                throw e;
            }
        }

        @Override
        public void close() throws SQLException {
            if (connection != null) {
                connection.close();
            }
        }
    }
}
