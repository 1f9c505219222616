package dev.paypipe.cli.dev;

import dev.paypipe.cli.IntakeLag;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.OutageMode;
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
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The whole pipeline in one process: embedded broker and PostgreSQL, the gateway simulator, one
 * worker and one db-writer. Publishes payments, waits for a final database row for each, and reports.
 */
final class Demo {
    /**
     * @param faultMix the simulator's named fault mix
     * @param faultRate the mix's charge faults scaled to this share; negative = the mix's own rate
     * @param outageMode how the gateway behaves during the {@code outageSeconds} outage
     */
    record Options(int payments, int rate, long gatewayLatencyMs, FaultMix faultMix, double faultRate,
            double declineRate, int outageSeconds, OutageMode outageMode, int dbConsumers, int partitions,
            int maxInFlight, int timeoutSeconds, Path reportJson, double duplicateRate, double conflictRate,
            boolean ledger) {
    }

    private final Options o;
    private final PrintStream out;
    /** Workers as child processes, killed or restarted on a schedule; null: one worker in this process. */
    private DemoFailover failover;

    Demo(Options options, PrintStream out) {
        this.o = options;
        this.out = out;
    }

    /** Runs the workers as child processes and disrupts them as {@code plan} says (the fail-over measurement). */
    Demo withFailover(DemoFailover plan) {
        this.failover = plan;
        return this;
    }

    int run() throws Exception {
        out.printf("paypipe demo: %d payments, rate %s, gateway latency %d ms, fault mix %s%s, outage %d s (%s), "
                + "duplicates %.2f, conflicts %.2f, ledger %s, db-writer consumers %d%n", o.payments,
                o.rate == 0 ? "max" : o.rate + "/s", o.gatewayLatencyMs, o.faultMix.cliName(),
                o.faultRate >= 0 ? String.format(" at %.2f", o.faultRate) : "", o.outageSeconds,
                o.outageMode.name().toLowerCase(java.util.Locale.ROOT), o.duplicateRate, o.conflictRate, o.ledger ? "on" : "off",
                o.dbConsumers);
        long t0 = System.nanoTime();
        KafkaBroker kafka = TestInfra.kafka();
        PostgresServer postgres = TestInfra.postgres();
        PostgresDatabase db = postgres.freshDatabase();
        KafkaSettings topics = kafka.freshTopics(o.partitions);
        // A gateway that times out (or holds a charge in progress) gives up after 5 s, as real ones do
        // well within a minute; the worker's own call deadline cuts every call before that.
        SimulatorConfig.Builder simBuilder = SimulatorConfig.builder()
                .latency(Duration.ofMillis(o.gatewayLatencyMs)).declineRate(o.declineRate)
                .hangTime(Duration.ofSeconds(5));
        SimulatorConfig simConfig = (o.faultRate >= 0 ? o.faultMix.apply(simBuilder, o.faultRate)
                : o.faultMix.apply(simBuilder)).build();
        out.printf("  infrastructure ready in %d ms: %s, %s%n", (System.nanoTime() - t0) / 1_000_000, kafka.describe(),
                postgres.describe());

        Duration responseTimeout = Duration.ofMillis(Math.max(2000, o.gatewayLatencyMs * 4));
        try (GatewaySimulator sim = GatewaySimulator.start(simConfig)) {
            GatewayConfig gateway = new GatewayConfig(sim.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                    Duration.ofSeconds(1), responseTimeout, Math.max(o.maxInFlight, 1), 2);
            // A demo run should end in seconds, so retries back off to at most 2 s through short tiers
            // (production defaults: 500 ms base, 10 min cap, tiers 1s..10m).
            WorkerConfig workerConfig = WorkerConfig.of(topics, gateway).withMaxInFlight(o.maxInFlight)
                    .withIntake(o.ledger ? WorkerConfig.Intake.LEDGER : WorkerConfig.Intake.DIRECT)
                    .withRampPeriod(Duration.ofSeconds(10))
                    .withBreaker(demoBreaker(responseTimeout))
                    .withRetry(new RetryPolicy(List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                            Duration.ofMillis(100), Duration.ofSeconds(2), 10));
            DbWriterConfig dbConfig = DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), o.dbConsumers);
            PaymentFactory factory = new PaymentFactory("demo");
            Path ledgerState = Files.createTempDirectory("paypipe-demo-ledger");
            try (PaymentLedger ledger = o.ledger ? new PaymentLedger(LedgerConfig.of(topics, ledgerState),
                            new SimpleMeterRegistry()) : null;
                    DbWriter writer = new DbWriter(dbConfig, new SimpleMeterRegistry());
                    PaymentWorker worker = new PaymentWorker(workerConfig, new SimpleMeterRegistry());
                    ConnectionSampler sampler = new ConnectionSampler(db);
                    ResultWatch watch = new ResultWatch(topics, o.payments);
                    PaymentPublisher publisher = new PaymentPublisher(topics);
                    IntakeLag lag = new IntakeLag(topics.clientProperties(),
                            workerConfig.intake().requestsTopic(topics.topics()), workerConfig.groupId(),
                            workerConfig.intake() == WorkerConfig.Intake.LEDGER);
                    DemoFailover fleet = failover) {
                if (ledger != null) {
                    ledger.start();
                    ledger.awaitRunning(Duration.ofSeconds(60));
                }
                writer.start();
                if (fleet == null) {
                    worker.start();
                } else {
                    fleet.start(workerConfig, watch, o.partitions);
                }
                sampler.start();

                long start = System.currentTimeMillis();
                DemoPublisher load = new DemoPublisher(publisher, factory, watch, o.payments, o.rate, o.duplicateRate,
                        o.conflictRate, TimeUnit.SECONDS.toNanos(o.timeoutSeconds));
                Thread producer = new Thread(load, "demo-publisher");
                producer.start();

                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(o.timeoutSeconds + o.outageSeconds);
                RowCounter counter = new RowCounter(db);
                StallMeter stalls = new StallMeter();
                boolean outageStarted = o.outageSeconds == 0;
                long rows = 0;
                long lastPrint = 0;
                while (System.nanoTime() < deadline) {
                    rows = counter.count();
                    // Halfway through the gateway's work, not the results': results trail the gateway by the
                    // ledger's and the db-writer's batching, and a fast run would be over before the outage.
                    if (!outageStarted && sim.stats().chargeCalls() >= o.payments / 2) {
                        sim.beginOutage(Duration.ofSeconds(o.outageSeconds), o.outageMode);
                        outageStarted = true;
                        out.printf("  gateway outage begins (%d s)%n", o.outageSeconds);
                    }
                    boolean waiting = worker.inFlight() + worker.backlog() > 0 || lag.lag() > 0;
                    stalls.sample(System.nanoTime(), watch.resultsRead(), waiting, !sim.inOutage());
                    if (System.nanoTime() - lastPrint > 1_000_000_000L || rows >= o.payments) {
                        lastPrint = System.nanoTime();
                        out.printf("  %5.1f s  published %d  results %d  db rows %d  in flight %d  breaker %s%n",
                                (System.currentTimeMillis() - start) / 1000.0, load.published(), watch.received(), rows,
                                worker.inFlight(), worker.breakerState());
                    }
                    if (rows >= o.payments) {
                        break;
                    }
                    Thread.sleep(outageStarted ? 100 : 5); // display, stall and outage-trigger sampling cadence
                }
                producer.join(TimeUnit.SECONDS.toMillis(o.timeoutSeconds));
                counter.close();
                if (fleet != null) {
                    fleet.stopDisruptions();
                }

                DemoReport report = new DemoReport(o.payments, o.dbConsumers);
                report.database(db, start);
                report.gateway(sim, load);
                report.pipeline(worker, sampler, watch, load, stalls);
                report.put("ledger", o.ledger);
                if (ledger != null) {
                    report.put("duplicatesDropped", ledger.duplicatesDropped());
                    report.put("conflictsRefused", ledger.conflictsRefused());
                }
                if (fleet != null) {
                    fleet.report(report, sim);
                }
                report.print(out);
                if (o.reportJson != null) {
                    Path parent = o.reportJson.toAbsolutePath().getParent();
                    if (parent != null) {
                        Files.createDirectories(parent);
                    }
                    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT)
                            .writeValue(o.reportJson.toFile(), report.values());
                    out.println("  report written to " + o.reportJson);
                }
                return report.ok() ? 0 : 1;
            }
        }
    }

    /**
     * The production breaker, probing every 2 s instead of 5 s: a demo's outage is seconds long, and a
     * breaker that re-opens in the tail of a hostile run (late deadline failures among few successes)
     * should not cost a third of the run.
     */
    private static WorkerConfig.BreakerSettings demoBreaker(Duration callDeadline) {
        WorkerConfig.BreakerSettings d = WorkerConfig.BreakerSettings.defaults();
        return new WorkerConfig.BreakerSettings(d.failureRateThreshold(), d.slowCallRateThreshold(),
                d.slowCallDuration(), d.windowSize(), d.minimumCalls(), Duration.ofSeconds(2), d.halfOpenCalls(),
                callDeadline.plusSeconds(1));
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
