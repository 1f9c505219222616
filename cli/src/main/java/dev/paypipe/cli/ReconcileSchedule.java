package dev.paypipe.cli;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
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

    /** The {@code reconcile.*} keys of the worker. */
    static final ConfigTable KEYS = new ConfigTable("reconcile",
            "Scheduled reconciliation of UNKNOWN payments inside a worker (enable it on one worker only).");
    static final ConfigKey<String> INTERVAL = KEYS.key("reconcile.interval").string("off")
            .check("off or a duration between 10s and 24h, such as 5m", v -> isOff(v) || Settings.inRange(v))
            .doc("How often a worker settles UNKNOWN payments; or run one `paypipe reconcile --every 5m`.");
    static final ConfigKey<Integer> CONCURRENCY = KEYS.key("reconcile.concurrency").integer(64).between(1, 10_000)
            .doc("Gateway look-ups in flight per scheduled run.");

    /** The schedule: {@code interval} null when off, look-ups in flight per run. */
    record Settings(Duration interval, int concurrency) {
        static final Duration MIN_INTERVAL = Duration.ofSeconds(10);

        boolean enabled() {
            return interval != null;
        }

        static Settings from(ConfigSource config) {
            String raw = config.get(INTERVAL).trim();
            return new Settings(isOff(raw) ? null : ConfigSource.parseDuration(raw), config.get(CONCURRENCY));
        }

        static Duration parseInterval(String key, String raw) {
            if (!inRange(raw)) {
                throw new ConfigException(key, "invalid config " + key + "='" + raw
                        + "': expected off or a duration between 10s and 24h, such as 5m");
            }
            return ConfigSource.parseDuration(raw);
        }

        private static boolean inRange(String raw) {
            Duration interval = ConfigSource.parseDuration(raw);
            return interval != null && interval.compareTo(MIN_INTERVAL) >= 0 && interval.compareTo(Duration.ofDays(1)) <= 0;
        }
    }

    private static boolean isOff(String raw) {
        return raw.isBlank() || raw.trim().equalsIgnoreCase("off");
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
