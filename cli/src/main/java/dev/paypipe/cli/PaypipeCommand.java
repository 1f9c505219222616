package dev.paypipe.cli;

import dev.paypipe.config.ConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code paypipe} command. */
@Command(name = "paypipe", mixinStandardHelpOptions = true, version = "paypipe 0.1.0",
        description = {"Kafka-based asynchronous payment pipeline.",
            "demo, bench, chaos and gateway-sim come with the development jar: ./paypipe demo --help"},
        subcommands = {WorkerCommand.class, DbWriterCommand.class,
            ReconcileCommand.class, PauseCommand.class, ResumeCommand.class, StatusCommand.class,
            BreakerCommand.class, DlqCommand.class, CloudWatchCommand.class, LedgerCommand.class, StatusOfCommand.class,
            ConfigCommand.class})
public final class PaypipeCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with paypipe's error handling: a bad config value ends with its key and exit code 2. */
    public static CommandLine commandLine() {
        return withErrorHandling(new CommandLine(new PaypipeCommand()));
    }

    /** Adds paypipe's error handling to a command line: a {@link ConfigException} prints its key and exits 2. */
    public static CommandLine withErrorHandling(CommandLine cli) {
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            if (e instanceof ConfigException) {
                commandLine.getErr().println("paypipe: bad configuration: " + e.getMessage());
                return 2;
            }
            throw e;
        });
        return cli;
    }
}
