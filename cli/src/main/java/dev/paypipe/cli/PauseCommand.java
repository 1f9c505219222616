package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ControlMessage;
import dev.paypipe.control.ControlPublisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Pauses every worker through the control topic; processes started later come up paused. */
@Command(name = "pause", mixinStandardHelpOptions = true,
        description = "Pause the whole fleet: every worker stops fetching within a second and finishes the calls it has "
                + "in flight. Stays in force across restarts until 'paypipe resume'.")
final class PauseCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--reason", required = true, description = "Why (shown by 'paypipe status'), e.g. \"gateway outage INC-42\".")
    String reason;

    @Option(names = "--by", description = "Who is pausing (default: user@host).")
    String by;

    @Override
    public Integer call() {
        KafkaSettings kafka = KafkaSettings.from(config.load());
        try (ControlPublisher publisher = ControlCommands.publisher(kafka)) {
            ControlMessage.Pause pause = publisher.pause(reason, by == null ? ControlCommands.defaultOperator() : by);
            System.out.printf("fleet paused by %s at %s: %s (topic %s)%n", pause.by(), pause.at(), pause.reason(),
                    kafka.topics().control());
        }
        return 0;
    }
}
