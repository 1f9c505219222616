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
    void usageTextsFormatCleanly() {
        java.io.PrintStream original = System.err;
        java.io.ByteArrayOutputStream captured = new java.io.ByteArrayOutputStream();
        System.setErr(new java.io.PrintStream(captured, true, java.nio.charset.StandardCharsets.UTF_8));
        try {
            CommandLine cli = PaypipeCommand.commandLine();
            cli.getSubcommands().get("cloudwatch").getSubcommands().values().forEach(CommandLine::getUsageMessage);
            cli.getSubcommands().get("dlq").getSubcommands().values().forEach(CommandLine::getUsageMessage);
            java.util.List.of("pause", "resume", "status", "breaker").forEach(n -> cli.getSubcommands().get(n).getUsageMessage());
        } finally {
            System.setErr(original);
        }
        assertThat(captured.toString(java.nio.charset.StandardCharsets.UTF_8)).doesNotContain("picocli WARN");
    }

    @Test
    void enumOptionsTakeTheLowerCaseSpellingOfTheDocs() {
        DlqCommand.Replay replay = new DlqCommand.Replay();
        new CommandLine(replay).parseArgs("--topic", "results", "--error-class", "timeout", "--since", "2h");
        CloudWatchCommand.Alarms alarms = new CloudWatchCommand.Alarms();
        new CommandLine(alarms).parseArgs("--print", "--format", "cloudformation");

        assertThat(replay.filters.topic).isEqualTo(DlqCommand.Dlq.RESULTS);
        assertThat(alarms.options.format).isEqualTo(CloudWatchCommand.Format.CLOUDFORMATION);
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
    void statusShowsWhoPausedTheFleetAndEachLiveProcess() {
        java.time.Instant now = java.time.Instant.parse("2026-12-02T01:00:10Z");
        dev.paypipe.control.ControlState orders = dev.paypipe.control.ControlState.RUNNING.apply(
                new dev.paypipe.control.ControlMessage.Pause("gateway outage INC-42", "alice", now.minusSeconds(60)));
        dev.paypipe.control.StatusReport worker = new dev.paypipe.control.StatusReport("payment-worker-a-1",
                "payment-worker", "host-a", now.minusSeconds(600), now.minusSeconds(3), true, "alice",
                "gateway outage INC-42", "CLOSED", 7, java.util.Map.of("payment-accepted-0", 40L, "payment-accepted-1", 2L),
                java.util.Map.of("30s", 5L), java.util.Map.of());
        dev.paypipe.control.StatusReport gone = new dev.paypipe.control.StatusReport("payment-worker-b-2", "payment-worker",
                "host-b", now.minusSeconds(900), now.minusSeconds(60), false, null, null, "OPEN", 0, null, null, null);
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();

        StatusCommand.print(dev.paypipe.control.FleetStatus.of(orders, java.util.List.of(worker, gone), now,
                java.time.Duration.ofSeconds(15)), now, new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));

        String shown = out.toString(java.nio.charset.StandardCharsets.UTF_8);
        assertThat(shown).contains("fleet: PAUSED by alice since 2026-12-02T00:59:10Z: gateway outage INC-42",
                "1 live process(es), 1 stale heartbeat(s) ignored", "payment-worker-a-1", "30s=5",
                "lag: payment-accepted-0=40 payment-accepted-1=2").doesNotContain("payment-worker-b-2");
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
