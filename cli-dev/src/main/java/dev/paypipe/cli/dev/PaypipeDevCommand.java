package dev.paypipe.cli.dev;

import dev.paypipe.cli.PaypipeCommand;
import dev.paypipe.cli.dev.chaos.ChaosCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code paypipe-dev} command: what needs the embedded broker, PostgreSQL or the gateway simulator. It ships
 * apart from the production {@code paypipe} jar, which carries none of them; {@code ./paypipe} picks this jar for
 * these commands.
 */
@Command(name = "paypipe", mixinStandardHelpOptions = true, version = "paypipe-dev 0.1.0",
        description = "paypipe's demo, benchmarks, gateway simulator and load publisher (the development artifact).",
        subcommands = {DemoCommand.class, GatewaySimCommand.class, BenchCommand.class, LoadCommand.class,
                ChaosCommand.class})
public final class PaypipeDevCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    public static void main(String[] args) {
        System.exit(commandLine().execute(args));
    }

    /** The command line with the production command's error handling (a bad config value ends with its key, exit 2). */
    public static CommandLine commandLine() {
        return PaypipeCommand.withErrorHandling(new CommandLine(new PaypipeDevCommand()));
    }
}
