package dev.paypipe.cli.dev;

import dev.paypipe.cli.IntakeLag;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.retry.RetryPolicy;
import dev.paypipe.sim.GatewaySimulator;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.testkit.TestInfra;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The whole pipeline in one process, for the demo, the benchmarks and the chaos campaigns: the embedded broker and
 * PostgreSQL, the gateway simulator, the ledger, one worker and one db-writer, plus the instruments that judge a run
 * from outside paypipe (a {@code read_committed} result watch, a {@code pg_stat_activity} sampler, the intake lag).
 * {@link #start} opens everything in order; {@link #close} closes it in reverse.
 */
public final class PipelineRig implements AutoCloseable {
    /**
     * What a run is made of.
     *
     * @param payments payments the result watch tracks ({@code demo-000000}...)
     * @param responseTimeout the worker's total deadline per gateway call
     * @param ledger whether the ledger runs in front of the worker ({@code worker.intake=ledger})
     * @param workerInProcess whether the rig starts its worker; false when the run's workers are child processes
     *     ({@link WorkerFleet}) configured from {@link #workerConfig()}
     */
    public record Settings(int payments, int partitions, SimulatorConfig simulator, int maxInFlight, int dbConsumers,
            boolean ledger, Duration responseTimeout, RetryPolicy retry, WorkerConfig.BreakerSettings breaker,
            Duration rampPeriod, boolean workerInProcess) {

        Settings withWorkerInProcess(boolean inProcess) {
            return new Settings(payments, partitions, simulator, maxInFlight, dbConsumers, ledger, responseTimeout,
                    retry, breaker, rampPeriod, inProcess);
        }

        /**
         * The demo's settings: retries back off to at most 2 s through short tiers (production defaults: 500 ms
         * base, 10 min cap, tiers 1s..10m), the breaker probes every 2 s, and the deadline is 4 × the latency.
         */
        public static Settings demo(int payments, int partitions, SimulatorConfig simulator, int maxInFlight, int dbConsumers,
                boolean ledger, long gatewayLatencyMs) {
            Duration responseTimeout = Duration.ofMillis(Math.max(2000, gatewayLatencyMs * 4));
            return new Settings(payments, partitions, simulator, maxInFlight, dbConsumers, ledger, responseTimeout,
                    new RetryPolicy(List.of(Duration.ofMillis(250), Duration.ofSeconds(1), Duration.ofSeconds(5)),
                            Duration.ofMillis(100), Duration.ofSeconds(2), 10),
                    demoBreaker(responseTimeout), Duration.ofSeconds(10), true);
        }
    }

    private final List<AutoCloseable> opened = new ArrayList<>();
    private KafkaBroker kafka;
    private PostgresServer postgres;
    private PostgresDatabase db;
    private KafkaSettings topics;
    private GatewaySimulator simulator;
    private WorkerConfig workerConfig;
    private PaymentLedger ledger;
    private final MeterRegistry ledgerRegistry = new SimpleMeterRegistry();
    private LedgerConfig ledgerConfig;
    private DbWriter writer;
    private PaymentWorker worker;
    private ConnectionSampler sampler;
    private ResultWatch watch;
    private PaymentPublisher publisher;
    private IntakeLag intakeLag;
    private Connection rowCounter;
    private Map<String, IntakeLag> retryTierLags;
    private long infrastructureMillis;

    private PipelineRig() {
    }

    /** Starts infrastructure, simulator, ledger (awaited), db-writer and worker; closes what it opened on failure. */
    public static PipelineRig start(Settings s) throws Exception {
        return start(s, UnaryOperator.identity());
    }

    /** As {@link #start(Settings)}, the worker calling the gateway through {@code gatewayDecorator}. */
    public static PipelineRig start(Settings s, UnaryOperator<PaymentGateway> gatewayDecorator) throws Exception {
        return start(s, gatewayDecorator, Map.of());
    }

    /**
     * As above, every component's Kafka clients also given {@code clientExtras} (as {@code kafka.client.*} keys
     * would), e.g. for a bench comparison of one client setting.
     */
    public static PipelineRig start(Settings s, UnaryOperator<PaymentGateway> gatewayDecorator,
            Map<String, String> clientExtras) throws Exception {
        PipelineRig rig = new PipelineRig();
        try {
            rig.open(s, gatewayDecorator, clientExtras);
            return rig;
        } catch (Exception | Error e) {
            rig.close();
            throw e;
        }
    }

    private void open(Settings s, UnaryOperator<PaymentGateway> gatewayDecorator, Map<String, String> clientExtras)
            throws Exception {
        long t0 = System.nanoTime();
        kafka = TestInfra.kafka();
        postgres = TestInfra.postgres();
        db = postgres.freshDatabase();
        topics = kafka.freshTopics(s.partitions());
        if (!clientExtras.isEmpty()) {
            topics = new KafkaSettings(topics.bootstrapServers(), topics.topics(), clientExtras);
        }
        infrastructureMillis = (System.nanoTime() - t0) / 1_000_000;
        simulator = keep(GatewaySimulator.start(s.simulator()));
        GatewayConfig gateway = new GatewayConfig(simulator.baseUri(), SimulatorConfig.DEFAULT_API_KEY,
                Duration.ofSeconds(1), s.responseTimeout(), Math.max(s.maxInFlight(), 1), 2);
        workerConfig = WorkerConfig.of(topics, gateway).withMaxInFlight(s.maxInFlight())
                .withIntake(s.ledger() ? WorkerConfig.Intake.LEDGER : WorkerConfig.Intake.DIRECT)
                .withRampPeriod(s.rampPeriod()).withBreaker(s.breaker()).withRetry(s.retry());
        DbWriterConfig dbConfig = DbWriterConfig.of(topics, db.jdbcUrl(), db.user(), db.password(), s.dbConsumers());
        if (s.ledger()) {
            Path state = Files.createTempDirectory("paypipe-rig-ledger");
            ledgerConfig = LedgerConfig.of(topics, state);
            ledger = keep(new PaymentLedger(ledgerConfig, ledgerRegistry));
        }
        writer = keep(new DbWriter(dbConfig, new SimpleMeterRegistry()));
        worker = keep(new PaymentWorker(workerConfig, gatewayDecorator.apply(new HttpPaymentGateway(gateway)),
                new SimpleMeterRegistry(), Clock.systemUTC()));
        sampler = keep(new ConnectionSampler(db));
        watch = keep(new ResultWatch(topics, s.payments()));
        publisher = keep(new PaymentPublisher(topics));
        intakeLag = keep(new IntakeLag(topics.clientProperties(), workerConfig.intake().requestsTopic(topics.topics()),
                workerConfig.groupId(), workerConfig.intake() == WorkerConfig.Intake.LEDGER));
        if (ledger != null) {
            ledger.start();
            ledger.awaitRunning(Duration.ofSeconds(60));
        }
        writer.start();
        if (s.workerInProcess()) {
            worker.start();
        }
        sampler.start();
    }

    private <T extends AutoCloseable> T keep(T resource) {
        opened.add(resource);
        return resource;
    }

    /** Result rows in PostgreSQL so far (0 until the db-writer has migrated), over one kept connection. */
    public long rowCount() throws SQLException {
        if (rowCounter == null) {
            rowCounter = keep(db.connect());
        }
        try (Statement st = rowCounter.createStatement();
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

    /** Whether the pipeline still holds work: calls in flight, retries waiting, or requests not yet taken in. */
    public boolean holdsWork() {
        return worker.inFlight() + worker.backlog() > 0 || intakeLag.lag() > 0;
    }

    /**
     * Records waiting in each retry tier (tier label such as {@code 250ms} → records the worker has not committed
     * yet; -1 when the broker did not answer within a second), in tier order. Called from one thread at a time.
     */
    Map<String, Long> retryBacklog() {
        if (retryTierLags == null) {
            retryTierLags = new LinkedHashMap<>();
            String prefix = topics.topics().retryPrefix();
            workerConfig.retryTierTopics().keySet().forEach(topic -> retryTierLags.put(topic.substring(prefix.length()),
                    keep(new IntakeLag(topics.clientProperties(), topic, workerConfig.groupId(), false))));
        }
        Map<String, Long> backlog = new LinkedHashMap<>();
        retryTierLags.forEach((tier, lag) -> backlog.put(tier, lag.lag()));
        return backlog;
    }

    public KafkaBroker kafka() {
        return kafka;
    }

    public PostgresServer postgres() {
        return postgres;
    }

    public PostgresDatabase db() {
        return db;
    }

    public KafkaSettings topics() {
        return topics;
    }

    public GatewaySimulator simulator() {
        return simulator;
    }

    public WorkerConfig workerConfig() {
        return workerConfig;
    }

    /** The ledger, or null when the run has none. */
    /** The ledger's meters (Kafka Streams' own among them: commit latency and ratio); empty without a ledger. */
    public MeterRegistry ledgerRegistry() {
        return ledgerRegistry;
    }

    /** The ledger's configuration; null without a ledger. */
    public LedgerConfig ledgerConfig() {
        return ledgerConfig;
    }

    public PaymentLedger ledger() {
        return ledger;
    }

    public DbWriter writer() {
        return writer;
    }

    public PaymentWorker worker() {
        return worker;
    }

    public ConnectionSampler sampler() {
        return sampler;
    }

    public ResultWatch watch() {
        return watch;
    }

    public PaymentPublisher publisher() {
        return publisher;
    }

    public long infrastructureMillis() {
        return infrastructureMillis;
    }

    @Override
    public void close() throws Exception {
        Exception first = null;
        List<AutoCloseable> reversed = new ArrayList<>(opened);
        Collections.reverse(reversed);
        opened.clear();
        for (AutoCloseable resource : reversed) {
            try {
                resource.close();
            } catch (Exception e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }

    /**
     * The production breaker, probing every 2 s instead of 5 s: a demo's outage is seconds long, and a
     * breaker that re-opens in the tail of a hostile run (late deadline failures among few successes)
     * should not cost a third of the run. Its time window is 2 × the call deadline, as in production.
     */
    private static WorkerConfig.BreakerSettings demoBreaker(Duration callDeadline) {
        return WorkerConfig.BreakerSettings.defaults(callDeadline).withOpenWait(Duration.ofSeconds(2));
    }
}
