package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The operator commands are registered and their options parse, without a broker. */
class OperatorCommandsTest {

    @Test
    void helpListsTheOperatorCommands() {
        String help = PaypipeCommand.commandLine().getUsageMessage();

        assertThat(help).contains("pause", "resume", "status", "breaker", "dlq", "cloudwatch", "reconcile");
    }

    @Test
    void everyOperatorSubcommandBuildsItsUsage() {
        CommandLine cli = PaypipeCommand.commandLine();
        for (String path : new String[] {"pause", "resume", "status", "breaker", "dlq list", "dlq replay",
                "cloudwatch alarms", "cloudwatch dashboard"}) {
            CommandLine sub = cli;
            for (String name : path.split(" ")) {
                sub = sub.getSubcommands().get(name);
            }
            assertThat(sub).as(path).isNotNull();
            assertThat(sub.getUsageMessage()).as(path).contains("--config");
        }
    }

    @Test
    void pauseWithoutAReasonAndAnUnknownBreakerModeAreUsageErrors() {
        StringWriter err = new StringWriter();
        CommandLine cli = PaypipeCommand.commandLine().setErr(new PrintWriter(err));

        assertThat(cli.execute("pause")).isEqualTo(2);
        assertThat(cli.execute("breaker", "sideways")).isEqualTo(2);
        assertThat(err.toString()).contains("--reason", "sideways");
    }

    @Test
    void alarmsPrintOnePutMetricAlarmInputPerLineWithoutABroker() {
        java.io.PrintStream original = System.out;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setOut(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            assertThat(PaypipeCommand.commandLine().execute("cloudwatch", "alarms", "--print")).isZero();
        } finally {
            System.setOut(original);
        }
        String[] lines = captured.toString(java.nio.charset.StandardCharsets.UTF_8).trim().split("\n");
        assertThat(lines).hasSize(8);
        assertThat(lines).allMatch(l -> l.startsWith("{\"AlarmName\":\"paypipe-"));
    }
}
