package dev.paypipe.cli;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.admin.DatabaseHealthCheck;
import dev.paypipe.admin.HealthCheck;
import dev.paypipe.admin.KafkaHealthCheck;
import dev.paypipe.admin.ProcessOperations;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.metrics.PaypipeMeters;
import dev.paypipe.persistence.DbWriter;
import dev.paypipe.persistence.DbWriterConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the db-writer until SIGTERM/SIGINT, with the same operations as a worker: follows fleet pauses
 * (applied before the first fetch), heartbeats, and serves /health (Kafka and the database), /metrics
 * (Hikari pool, batches, Kafka consumers, JVM) and /admin.
 */
@Command(name = "db-writer", mixinStandardHelpOptions = true,
        description = "Persist payment results to PostgreSQL with database concurrency capped at the consumer count. "
                + "Follows fleet pauses; serves /health, /metrics and /admin on admin.host:admin.port.")
final class DbWriterCommand implements Runnable {
    static final String ROLE = "db-writer";
    private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(2);

    @Mixin
    ConfigOption config;

    @Mixin
    LogLevelOption logLevel;

    @Override
    public void run() {
        logLevel.apply();
        ConfigSource source = config.loadForService();
        DbWriterConfig writerConfig = DbWriterConfig.from(source);
        AdminConfig admin = AdminConfig.from(source);
        MetricsConfig metrics = MetricsConfig.from(source);
        Clock clock = Clock.systemUTC();
        Deque<AutoCloseable> opened = new ConcurrentLinkedDeque<>();
        ProcessLifetime.runUntilSignalled(() -> {
            PaypipeMeters meters = PaypipeMeters.create(metrics, ROLE);
            opened.push(meters);
            DbWriter writer = new DbWriter(writerConfig, meters.registry(), clock);
            KafkaHealthCheck kafka = new KafkaHealthCheck(writerConfig.kafka(), CHECK_TIMEOUT);
            opened.push(kafka);
            ProcessInstance instance = ProcessInstance.current(ROLE, clock.instant());
            ProcessOperations ops = ProcessOperations.builder(writerConfig.kafka(), instance, writer.controlTarget(),
                    writer.statusSource(instance)).admin(admin).metrics(meters::scrape).healthCheck("kafka", kafka)
                    .healthCheck("database", () -> writer.dataSource()
                            .map(pool -> new DatabaseHealthCheck(pool, CHECK_TIMEOUT).check())
                            .orElse(HealthCheck.Result.down("db-writer not started yet (migrating the schema)")))
                    .clock(clock).start();
            opened.push(ops);
            opened.push(writer);
            writer.start();
        }, () -> WorkerCommand.closeAll(opened));
    }
}
