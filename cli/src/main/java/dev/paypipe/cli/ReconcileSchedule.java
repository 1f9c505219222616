package dev.paypipe.cli;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs {@link Reconciler} every {@code interval} on its own thread, so UNKNOWN payments are looked up
 * and settled without anyone remembering to. A run is skipped while {@code holdReason} names a reason
 * (fleet paused, breaker open): operators pause because the gateway must be left alone. Runs never
 * overlap; a run that fails is logged and the next one tries again.
 */
final class ReconcileSchedule implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(ReconcileSchedule.class);

    /**
     * {@code reconcile.interval}: {@code off} (default) or a duration of at least 10 s;
     * {@code reconcile.concurrency}: look-ups in flight per run (default 64).
     */
    record Settings(Duration interval, int concurrency) {
        static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

        boolean enabled() {
            return interval != null;
        }

        static Settings from(ConfigSource config) {
            String raw = config.string("reconcile.interval", "off").trim();
            int concurrency = config.intInRange("reconcile.concurrency", 64, 1, 10_000);
            if (raw.isEmpty() || raw.equalsIgnoreCase("off")) {
                return new Settings(null, concurrency);
            }
            return new Settings(parseInterval("reconcile.interval", raw), concurrency);
        }

        static Duration parseInterval(String key, String raw) {
            Duration interval = ConfigSource.parseDuration(raw);
            if (interval == null || interval.compareTo(MIN_INTERVAL) < 0 || interval.compareTo(Duration.ofDays(1)) > 0) {
                throw new ConfigException(key, "invalid config " + key + "='" + raw
                        + "': expected off or a duration between 10s and 1d, such as 5m");
            }
            return interval;
        }
    }

    private final ScheduledExecutorService executor;
    private final HttpPaymentGateway gateway;

    private ReconcileSchedule(ScheduledExecutorService executor, HttpPaymentGateway gateway) {
        this.executor = executor;
        this.gateway = gateway;
    }

    /**
     * Starts the schedule.
     *
     * @param firstRun delay before the first run (a worker waits one interval, {@code reconcile --every} none)
     * @param holdReason why a run must be skipped now, or null to run
     */
    static ReconcileSchedule start(WorkerConfig worker, Settings settings, Duration firstRun, Supplier<String> holdReason,
            Clock clock) {
        HttpPaymentGateway gateway = new HttpPaymentGateway(worker.gateway());
        Reconciler reconciler = new Reconciler(worker.kafka(), worker.intake(), gateway,
                new PaymentProcessor(worker.retry(), worker.gateway().responseTimeout(), clock, new SplittableRandom()),
                clock, settings.concurrency());
        ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "paypipe-reconcile");
            t.setDaemon(true);
            return t;
        });
        long every = settings.interval().toMillis();
        executor.scheduleWithFixedDelay(() -> runOnce(reconciler::run, holdReason), firstRun.toMillis(), every,
                TimeUnit.MILLISECONDS);
        log.atInfo().setMessage("scheduled reconciliation started").addKeyValue("event", "reconcile_scheduled")
                .addKeyValue("interval", settings.interval().toString())
                .addKeyValue("concurrency", settings.concurrency()).log();
        return new ReconcileSchedule(executor, gateway);
    }

    /** One scheduled turn: skipped while held, never throws (the schedule must go on). */
    static void runOnce(Supplier<Reconciler.Report> reconcile, Supplier<String> holdReason) {
        String hold = holdReason.get();
        if (hold != null) {
            log.atInfo().setMessage("scheduled reconciliation skipped").addKeyValue("event", "reconcile_skipped")
                    .addKeyValue("reason", hold).log();
            return;
        }
        try {
            Reconciler.Report report = reconcile.get();
            if (report.stillUnknown() > 0) {
                log.atWarn().setMessage("payments still UNKNOWN after reconciliation; the next run tries again")
                        .addKeyValue("event", "reconcile_pending").addKeyValue("stillUnknown", report.stillUnknown())
                        .addKeyValue("lookupFailures", report.lookupFailures())
                        .addKeyValue("requestsMissing", report.requestsMissing()).log();
            }
        } catch (RuntimeException e) {
            // The schedule must outlive a bad run (Kafka or gateway briefly unreachable).
            log.atWarn().setMessage("scheduled reconciliation failed; the next run tries again")
                    .addKeyValue("event", "reconcile_failed").addKeyValue("error", e.toString()).log();
        }
    }

    @Override
    public void close() {
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        gateway.close();
    }
}
