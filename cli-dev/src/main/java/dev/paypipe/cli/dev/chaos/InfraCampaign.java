package dev.paypipe.cli.dev.chaos;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.EmbeddedPostgresServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code infra} campaign: PostgreSQL stopped for 30 s in the middle of a run (the db-writer must stop fetching,
 * keep its offsets and catch up), with the database connection cap sampled from {@code pg_stat_activity} throughout.
 */
public final class InfraCampaign {
    private static final Set<PaymentStatus> COMPLETED = Set.of(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
    private static final Duration OUTAGE = Duration.ofSeconds(30);
    private static final int DB_CONSUMERS = 2;

    private final int payments;
    private final PrintStream out;

    public InfraCampaign(int payments, PrintStream out) {
        this.payments = payments;
        this.out = out;
    }

    public CampaignReport run() throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1).noFaults().build();
        CampaignReport report = new CampaignReport("infra");
        try (PipelineRig rig = PipelineRig.start(PipelineRig.Settings.demo(1, 4, sim, 64, DB_CONSUMERS, true, 5))) {
            if (!(rig.postgres() instanceof EmbeddedPostgresServer postgres)) {
                report.note("PostgreSQL is not the embedded server (" + rig.postgres().describe()
                        + "): the database outage was skipped");
                report.merge(PaymentRun.run("postgres-outage-skipped", rig, payments, COMPLETED,
                        Duration.ofMinutes(3), i -> { }, out));
                return report;
            }
            int stopAt = payments / 3;
            CampaignReport run = PaymentRun.run("postgres-stopped-30s", rig, payments, COMPLETED, Duration.ofMinutes(4),
                    i -> {
                        if (i == stopAt) {
                            postgres.stop();
                            out.printf("  infra: PostgreSQL stopped at payment %d for %s%n", i, OUTAGE);
                            Thread restart = new Thread(() -> {
                                try {
                                    Thread.sleep(OUTAGE.toMillis());
                                } catch (InterruptedException e) {
                                    Thread.currentThread().interrupt();
                                }
                                postgres.restart();
                                out.println("  infra: PostgreSQL started again on the same port and data");
                            }, "chaos-postgres-restart");
                            restart.start();
                        }
                        if (i > stopAt && i % 10 == 0) {
                            Thread.sleep(150); // keep payments coming through the outage
                        }
                    }, out);
            long maxConnections = rig.sampler().max();
            report.merge(run);
            report.count("connectionCapExceeded", maxConnections > DB_CONSUMERS ? 1 : 0);
            report.figure("dbConnectionCap", DB_CONSUMERS);
            report.figure("maxDbConnectionsSeen", maxConnections);
            report.figure("connectionSamplesWithoutDatabase", rig.sampler().failedSamples());
            report.note("the Kafka broker restart is not run: the embedded broker cannot yet restart on its port and"
                    + " log directory");
        }
        return report;
    }
}
