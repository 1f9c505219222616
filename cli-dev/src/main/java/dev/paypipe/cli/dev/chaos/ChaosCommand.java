package dev.paypipe.cli.dev.chaos;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code paypipe chaos}: the reliability campaigns, each judged from the gateway simulator's ledger, the database rows
 * and the results topic read {@code read_committed}. Exit 0 when every campaign's counts are all zero.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true,
        description = "Run the reliability campaigns (input, gateway, kill, infra) and write their verdicts.")
public final class ChaosCommand implements Callable<Integer> {
    /** The campaigns in the order they run. */
    enum Campaign { input, gateway, kill, infra }

    @Option(names = "--campaign", paramLabel = "NAME", description = "Run only this campaign (repeatable): "
            + "${COMPLETION-CANDIDATES}. Default: all.")
    List<Campaign> campaigns = new ArrayList<>();

    @Option(names = "--quick", description = "Smaller runs (all campaigns in minutes): corpus twice, 100 payments per "
            + "fault shape, 3 kills of each service during 10,000 payments.")
    boolean quick;

    @Option(names = "--shape", paramLabel = "NAME", description = "Gateway campaign: run only this fault shape "
            + "(repeatable).")
    List<String> shapes = new ArrayList<>();

    @Option(names = "--report-json", paramLabel = "FILE", required = true, description = "Write the verdicts as JSON.")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        PrintStream out = System.out;
        List<Campaign> run = campaigns.isEmpty() ? List.of(Campaign.values()) : campaigns;
        Map<String, Object> campaignsJson = new LinkedHashMap<>();
        boolean ok = true;
        long t0 = System.nanoTime();
        for (Campaign c : run) {
            out.println("campaign " + c + (quick ? " (quick)" : ""));
            long started = System.nanoTime();
            CampaignReport report = switch (c) {
                case input -> new InputCampaign(quick ? 2 : 20, Duration.ofMinutes(quick ? 2 : 10), out).run();
                case gateway -> new GatewayCampaign(quick ? 100 : 2000, shapes, Duration.ofMinutes(quick ? 2 : 10),
                        out).run();
                case kill -> new KillCampaign(quick ? 10_000 : 100_000, quick ? 3 : 10, out).run();
                case infra -> new InfraCampaign(quick ? 3000 : 20_000, out).run();
            };
            report.figure("seconds", (System.nanoTime() - started) / 1_000_000_000L);
            campaignsJson.put(c.name(), report.toMap());
            ok &= report.ok();
            out.printf("campaign %s: %s %s%n", c, report.ok() ? "OK" : "FAILED", report.toMap());
        }
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("quick", quick);
        json.put("verdict", ok ? "OK" : "FAILED");
        json.put("seconds", (System.nanoTime() - t0) / 1_000_000_000L);
        json.put("campaigns", campaignsJson);
        Path parent = reportJson.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reportJson.toFile(), json);
        out.println((ok ? "VERDICT: OK" : "VERDICT: FAILED") + " - report written to " + reportJson);
        return ok ? 0 : 1;
    }
}
