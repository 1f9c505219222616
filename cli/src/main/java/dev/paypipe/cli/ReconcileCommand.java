package dev.paypipe.cli;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.gateway.HttpPaymentGateway;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.reconcile.Reconciler;
import dev.paypipe.retry.RetryPolicy;
import java.time.Clock;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Settles UNKNOWN payments by looking them up at the gateway. */
@Command(name = "reconcile", mixinStandardHelpOptions = true,
        description = "Look up every payment whose latest result is UNKNOWN by its idempotency key and publish the "
                + "settled result (APPROVED or DECLINED) where the gateway has a charge.")
final class ReconcileCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--concurrency", defaultValue = "64", description = "Look-ups in flight (default ${DEFAULT-VALUE}).")
    int concurrency;

    @Override
    public Integer call() {
        ConfigSource source = config.load();
        KafkaSettings kafka = KafkaSettings.from(source);
        try (HttpPaymentGateway gateway = new HttpPaymentGateway(GatewayConfig.from(source))) {
            Reconciler.Report report = new Reconciler(kafka, gateway,
                    new PaymentProcessor(RetryPolicy.defaults(), Clock.systemUTC(), ThreadLocalRandom.current()),
                    concurrency).run();
            System.out.printf("read %d results: %d UNKNOWN; settled %d APPROVED and %d DECLINED; %d still UNKNOWN "
                    + "(%d look-ups failed)%n", report.resultsRead(), report.unknown(), report.approved(),
                    report.declined(), report.stillUnknown(), report.lookupFailures());
            return report.lookupFailures() == 0 ? 0 : 3;
        }
    }
}
