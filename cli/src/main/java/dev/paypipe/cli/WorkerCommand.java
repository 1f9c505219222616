package dev.paypipe.cli;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.admin.KafkaHealthCheck;
import dev.paypipe.admin.ProcessOperations;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.metrics.PaypipeMeters;
import dev.paypipe.worker.PaymentWorker;
import dev.paypipe.worker.WorkerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import java.time.Clock;
import java.time.Duration;
import java.util.Deque;
import java.util.concurrent.ConcurrentLinkedDeque;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * Runs a payment worker until SIGTERM/SIGINT, then drains calls in flight and commits. Before the
 * worker fetches, its operations start: the control follower has applied the fleet's standing orders
 * (so a worker started during a fleet pause comes up paused), the heartbeat runs and the admin
 * endpoint serves health, Prometheus metrics and the token-protected commands.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
        description = "Consume payment requests, call the gateway, publish results. Follows the fleet's pause and "
                + "breaker commands; serves /health, /metrics and /admin on admin.host:admin.port; reconciles "
                + "UNKNOWN payments every reconcile.interval when set.")
final class WorkerCommand implements Runnable {
    static final String ROLE = "payment-worker";
    private static final Logger log = LoggerFactory.getLogger(WorkerCommand.class);

    @Mixin
    ConfigOption config;

    @Mixin
    LogLevelOption logLevel;

    @Override
    public void run() {
        logLevel.apply();
        ConfigSource source = config.loadForService();
        WorkerConfig workerConfig = WorkerConfig.from(source);
        AdminConfig admin = AdminConfig.from(source);
        ReconcileSchedule.Settings reconcile = ReconcileSchedule.Settings.from(source);
        MetricsConfig metrics = MetricsConfig.from(source);
        Clock clock = Clock.systemUTC();
        // Closed in reverse order of opening: schedule, worker (drains), operations, health check, meters last.
        Deque<AutoCloseable> opened = new ConcurrentLinkedDeque<>();
        ProcessLifetime.runUntilSignalled(() -> {
            PaypipeMeters meters = PaypipeMeters.create(metrics, ROLE);
            opened.push(meters);
            PaymentWorker worker = new PaymentWorker(workerConfig, meters.registry());
            KafkaHealthCheck kafka = new KafkaHealthCheck(workerConfig.kafka(), Duration.ofSeconds(2));
            opened.push(kafka);
            ProcessInstance instance = ProcessInstance.current(ROLE, clock.instant());
            ProcessOperations ops = ProcessOperations.builder(workerConfig.kafka(), instance, worker,
                    worker.statusSource(instance)).admin(admin).metrics(meters::scrape).healthCheck("kafka", kafka)
                    .clock(clock).start();
            opened.push(ops);
            opened.push(worker);
            worker.start();
            if (reconcile.enabled()) {
                opened.push(ReconcileSchedule.start(workerConfig, reconcile, reconcile.interval(),
                        () -> holdReason(worker), clock));
            }
        }, () -> closeAll(opened));
    }

    /** Why a scheduled reconciliation must wait now: the fleet is paused or this worker's breaker is not closed. */
    private static String holdReason(PaymentWorker worker) {
        if (worker.operatorPause().isPresent()) {
            return "fleet paused by " + worker.operatorPause().get().by();
        }
        CircuitBreaker.State state = worker.breakerState();
        return state == CircuitBreaker.State.CLOSED ? null : "breaker " + state;
    }

    static void closeAll(Deque<AutoCloseable> opened) {
        AutoCloseable next;
        while ((next = opened.poll()) != null) {
            try {
                next.close();
            } catch (Exception e) {
                log.atWarn().setMessage("close failed during shutdown").addKeyValue("event", "shutdown_close_failed")
                        .addKeyValue("component", next.getClass().getSimpleName()).addKeyValue("error", e.toString())
                        .log();
            }
        }
    }
}
