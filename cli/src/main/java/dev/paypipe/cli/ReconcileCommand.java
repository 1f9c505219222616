package dev.paypipe.cli;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.worker.WorkerConfig;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Settles UNKNOWN payments by looking them up at the gateway, and re-drives those it holds no charge for. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Look up every payment whose latest result is UNKNOWN by its idempotency key: publish the "
                + "settled result (APPROVED or DECLINED) where the gateway has a charge; where it has none and the "
                + "last attempt's deadline has passed, send the dead-lettered request back to the workers to be "
                + "charged again with the same idempotency key (a fresh retry budget). Reads the worker's config "
                + "(worker.intake, retry.*, gateway.*).")
final class ReconcileCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--concurrency", defaultValue = "64", description = "Look-ups in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        ConfigSource source = config.load();
        WorkerConfig worker = WorkerConfig.from(source);
        Clock clock = Clock.systemUTC();
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
}
