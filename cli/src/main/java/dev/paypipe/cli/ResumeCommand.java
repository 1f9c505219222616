package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ControlMessage;
import dev.paypipe.control.ControlPublisher;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Lifts a fleet pause. */
@Command(name = "resume", mixinStandardHelpOptions = true,
        description = "Resume the whole fleet after 'paypipe pause': every worker fetches again within a second.")
final class ResumeCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--by", description = "Who is resuming (default: user@host).")
    String by;

    @Override
    public Integer call() {
        KafkaSettings kafka = KafkaSettings.from(config.load());
        try (ControlPublisher publisher = ControlCommands.publisher(kafka)) {
            ControlMessage.Resume resume = publisher.resume(by == null ? ControlCommands.defaultOperator() : by);
            System.out.printf("fleet resumed by %s at %s%n", resume.by(), resume.at());
        }
        return 0;
    }
}
