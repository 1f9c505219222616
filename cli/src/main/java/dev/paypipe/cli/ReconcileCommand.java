package dev.paypipe.cli;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.control.ControlFollower;
import dev.paypipe.control.ControlPublisher;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Settles UNKNOWN payments by looking them up at the gateway, and re-drives those it holds no charge for:
 * once, or every {@code --every} until stopped (one such process per fleet).
 */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Look up every payment whose latest result is UNKNOWN by its idempotency key: publish the "
                + "settled result (APPROVED or DECLINED) where the gateway has a charge; where it has none and the "
                + "last attempt's deadline has passed, send the dead-lettered request back to the workers to be "
                + "charged again with the same idempotency key (a fresh retry budget). Reads the worker's config "
                + "(worker.intake, retry.*, gateway.*). With --every it runs until stopped, skipping runs while the "
                + "fleet is paused; alternatively set reconcile.interval on one worker.")
final class ReconcileCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Mixin
    LogLevelOption logLevel;

    @Option(names = "--concurrency", defaultValue = "64", description = "Look-ups in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Option(names = "--every", paramLabel = "DURATION",
            description = "Run now and then every DURATION (at least 10s, e.g. 5m) until SIGTERM, instead of once.")
    String every;

    @Override
    public Integer call() {
        logLevel.apply();
        ConfigSource source = config.loadForService();
        WorkerConfig worker = WorkerConfig.from(source);
        Clock clock = Clock.systemUTC();
        if (every != null) {
            Duration interval = ReconcileSchedule.Settings.parseInterval("--every", every);
            runScheduled(worker, new ReconcileSchedule.Settings(interval, concurrency), clock);
            return 0;
        }
        try (HttpPaymentGateway gateway = new HttpPaymentGateway(worker.gateway())) {
            PaymentProcessor processor = new PaymentProcessor(worker.retry(), worker.gateway().responseTimeout(), clock,
                    ThreadLocalRandom.current());
            Reconciler.Report report = new Reconciler(worker.kafka(), worker.intake(), gateway, processor, clock,
                    concurrency).run();
            System.out.printf("read %d results: %d UNKNOWN; settled %d APPROVED and %d DECLINED; re-drove %d without "
                    + "a charge; %d still UNKNOWN (%d look-ups failed, %d requests not on the dead-letter topic)%n",
                    report.resultsRead(), report.unknown(), report.approved(), report.declined(), report.redriven(),
                    report.stillUnknown(), report.lookupFailures(), report.requestsMissing());
            return report.lookupFailures() == 0 && report.requestsMissing() == 0 ? 0 : 3;
        }
    }

    /** Follows the control topic (a fleet pause holds the look-ups too), then reconciles on schedule until signalled. */
    private static void runScheduled(WorkerConfig worker, ReconcileSchedule.Settings settings, Clock clock) {
        AtomicReference<String> paused = new AtomicReference<>();
        ControlFollower follower = new ControlFollower(worker.kafka(), ControlTarget.pauseOnly(
                () -> paused.set("fleet paused"), () -> paused.set(null)));
        AtomicReference<ReconcileSchedule> schedule = new AtomicReference<>();
        ProcessLifetime.runUntilSignalled(() -> {
            ControlPublisher.ensureTopic(worker.kafka());
            follower.start();
            if (!follower.awaitCaughtUp(Duration.ofSeconds(30))) {
                throw new IllegalStateException("control topic " + worker.kafka().topics().control()
                        + " not read within 30 s; not starting, so a fleet pause cannot be missed");
            }
            schedule.set(ReconcileSchedule.start(worker, settings, Duration.ZERO, paused::get, clock));
        }, () -> {
            ReconcileSchedule s = schedule.get();
            if (s != null) {
                s.close();
            }
            follower.close();
        });
    }
}
