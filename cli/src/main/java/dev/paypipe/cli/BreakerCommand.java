package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlMessage;
import dev.paypipe.control.ControlPublisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** Operates every worker's gateway circuit breaker. */
@Command(name = "breaker", mixinStandardHelpOptions = true,
        description = "Tell every worker's gateway circuit breaker to reset (close now and forget its statistics), "
                + "force-open (no gateway calls until the next breaker command; survives restarts) or auto "
                + "(back to its failure-rate rules).")
final class BreakerCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Parameters(index = "0", paramLabel = "reset|force-open|auto", converter = ModeConverter.class)
    BreakerMode mode;

    @Option(names = "--by", description = "Who is acting (default: user@host).")
    String by;

    @Override
    public Integer call() {
        KafkaSettings kafka = KafkaSettings.from(config.load());
        try (ControlPublisher publisher = ControlCommands.publisher(kafka)) {
            ControlMessage.Breaker sent = publisher.breaker(mode, by == null ? ControlCommands.defaultOperator() : by);
            System.out.printf("breaker %s sent to the fleet by %s at %s%n", sent.mode().cliName(), sent.by(), sent.at());
        }
        return 0;
    }

    static final class ModeConverter implements picocli.CommandLine.ITypeConverter<BreakerMode> {
        @Override
        public BreakerMode convert(String value) {
            try {
                return BreakerMode.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
