package dev.paypipe.cli;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.admin.KafkaHealthCheck;
import dev.paypipe.admin.ProcessOperations;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.ledger.PaymentLedger;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.metrics.PaypipeMeters;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs the payment ledger (door, exit, status endpoint) until SIGTERM/SIGINT, then commits and stops, with the same
 * operations as a worker: heartbeat, and /health (Kafka, Streams state), /metrics and /admin on admin.host:admin.port.
 * A fleet pause is reported but not applied: the ledger never calls the gateway, so its door and exit keep running.
 */
@Command(name = "ledger", mixinStandardHelpOptions = true,
        description = "Run the payment ledger: strict check and de-duplication in front of the workers, exactly one "
                + "final result per payment behind them, GET /payments/{id} on ledger.http-port. Serves /health, "
                + "/metrics and /admin on admin.host:admin.port; a fleet pause is reported, not applied.")
final class LedgerCommand implements Runnable {
    static final String ROLE = "ledger";

    @Mixin
    ConfigOption config;

    @Mixin
    LogLevelOption logLevel;

    @Override
    public void run() {
        logLevel.apply();
        ConfigSource source = config.loadForService();
        LedgerConfig ledgerConfig = LedgerConfig.from(source);
        AdminConfig admin = AdminConfig.from(source);
        MetricsConfig metrics = MetricsConfig.from(source);
        Clock clock = Clock.systemUTC();
        Deque<AutoCloseable> opened = new ConcurrentLinkedDeque<>();
        ProcessLifetime.runUntilSignalled(() -> {
            PaypipeMeters meters = PaypipeMeters.create(metrics, ROLE);
            opened.push(meters);
            PaymentLedger ledger = new PaymentLedger(ledgerConfig, meters.registry(), clock);
            KafkaHealthCheck kafka = new KafkaHealthCheck(ledgerConfig.kafka(), Duration.ofSeconds(2));
            opened.push(kafka);
            ProcessInstance instance = ProcessInstance.current(ROLE, clock.instant());
            ProcessOperations ops = ProcessOperations.builder(ledgerConfig.kafka(), instance, ledger.controlTarget(),
                    ledger.statusSource(instance)).admin(admin).metrics(meters::scrape).healthCheck("kafka", kafka)
                    .healthCheck("streams", ledger::streamsHealth).clock(clock).start();
            opened.push(ops);
            opened.push(ledger);
            ledger.start();
        }, () -> WorkerCommand.closeAll(opened));
    }
}
