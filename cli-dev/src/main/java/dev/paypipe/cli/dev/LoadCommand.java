package dev.paypipe.cli.dev;

import dev.paypipe.cli.ReplayPacer;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.load.PaymentFactory;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * Publishes valid payment requests to a running pipeline and exits: the load for the Docker Compose stack or a
 * staging cluster. Requests come from the testkit's {@link PaymentFactory} (ids {@code <prefix>-000042}) through
 * the production {@link PaymentPublisher}.
 */
@Command(name = "load", mixinStandardHelpOptions = true,
        description = "Publish N valid payment requests to payment-requests at a steady rate, then exit (exit code 3 "
                + "if a send failed). Kafka from kafka.bootstrap-servers (PAYPIPE_KAFKA_BOOTSTRAP_SERVERS).")
final class LoadCommand implements Callable<Integer> {
    private static final DateTimeFormatter RUN_ID = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    @Spec
    CommandSpec spec;

    @Option(names = "--payments", defaultValue = "1000", description = "Payments to publish (default ${DEFAULT-VALUE}).")
    int payments;

    @Option(names = "--rate", defaultValue = "200",
            description = "Payments per second; 0 = as fast as the broker takes them (default ${DEFAULT-VALUE}).")
    double rate;

    @Option(names = "--id-prefix", paramLabel = "PREFIX",
            description = "Payment ids are PREFIX-000000, PREFIX-000001, ... (default: load-<UTC time>, so a second "
                    + "run publishes new payments; the same prefix again publishes copies, which the ledger drops).")
    String idPrefix;

    @Option(names = "--config", paramLabel = "FILE",
            description = "Properties file; PAYPIPE_* environment variables override it.")
    Path config;

    @Override
    public Integer call() throws InterruptedException {
        if (payments < 1) {
            throw new ParameterException(spec.commandLine(), "--payments must be at least 1, got " + payments);
        }
        if (!(rate >= 0)) {
            throw new ParameterException(spec.commandLine(), "--rate must be 0 or more payments per second, got " + rate);
        }
        Clock clock = Clock.systemUTC();
        String prefix = idPrefix != null ? idPrefix : "load-" + RUN_ID.format(clock.instant());
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.load(config));
        PaymentFactory factory = new PaymentFactory(prefix);
        ReplayPacer pacer = rate > 0 ? new ReplayPacer(rate, clock, d -> TimeUnit.NANOSECONDS.sleep(d.toNanos())) : null;
        AtomicInteger failed = new AtomicInteger();
        Instant start = clock.instant();
        try (PaymentPublisher publisher = new PaymentPublisher(kafka)) {
            for (int i = 0; i < payments; i++) {
                if (pacer != null) {
                    pacer.acquire();
                }
                publisher.publish(factory.request(i)).whenComplete((md, e) -> {
                    if (e != null) {
                        failed.incrementAndGet();
                    }
                });
            }
            publisher.flush();
        }
        Duration took = Duration.between(start, clock.instant());
        spec.commandLine().getOut().printf("published %d payments (%s .. %s) to %s in %.1f s; %d sends failed%n",
                payments - failed.get(), factory.paymentId(0), factory.paymentId(payments - 1), kafka.topics().requests(),
                took.toMillis() / 1000.0, failed.get());
        return failed.get() == 0 ? 0 : 3;
    }
}
