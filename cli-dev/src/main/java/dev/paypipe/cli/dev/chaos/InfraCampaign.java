package dev.paypipe.cli.dev.chaos;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.sim.SimulatorConfig;
import dev.paypipe.testkit.EmbeddedKafkaBroker;
import dev.paypipe.testkit.EmbeddedPostgresServer;
import java.io.PrintStream;
import java.time.Duration;
import java.util.Set;

/**
 * The {@code infra} campaign: PostgreSQL stopped for 30 s a third of the way into a run (the db-writer must stop
 * fetching, keep its offsets and catch up), then the Kafka broker stopped for 10 s and started again on its port and
 * log directory, with the database connection cap sampled from {@code pg_stat_activity} throughout.
 */
public final class InfraCampaign {
    private static final Set<PaymentStatus> COMPLETED = Set.of(PaymentStatus.APPROVED, PaymentStatus.DECLINED);
    private static final Duration DB_OUTAGE = Duration.ofSeconds(30);
    private static final Duration BROKER_OUTAGE = Duration.ofSeconds(10);
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
            int brokerAt = payments * 2 / 3;
            EmbeddedKafkaBroker broker = rig.kafka() instanceof EmbeddedKafkaBroker b ? b : null;
            Thread[] restarts = new Thread[2];
            CampaignReport run = PaymentRun.run("postgres-stopped-broker-restarted", rig, payments, COMPLETED,
                    Duration.ofMinutes(4), i -> {
                        if (i == stopAt) {
                            postgres.stop();
                            out.printf("  infra: PostgreSQL stopped at payment %d for %s%n", i, DB_OUTAGE);
                            restarts[0] = after(DB_OUTAGE, postgres::restart,
                                    "PostgreSQL started again on the same port and data");
                        }
                        if (i == brokerAt && broker != null) {
                            restarts[0].join(); // one outage at a time
                            broker.stop();
                            out.printf("  infra: Kafka broker stopped at payment %d for %s%n", i, BROKER_OUTAGE);
                            restarts[1] = after(BROKER_OUTAGE, broker::restart,
                                    "Kafka broker started again on the same port and log directory");
                        }
                        if (i > stopAt && i % 10 == 0) {
                            Thread.sleep(150); // keep payments coming through the outages
                        }
                    }, out);
            for (Thread t : restarts) {
                if (t != null) {
                    t.join();
                }
            }
            if (broker == null) {
                report.note("the Kafka broker is not the embedded one (" + rig.kafka().describe()
                        + "): its restart was skipped");
            }
            long maxConnections = rig.sampler().max();
            report.merge(run);
            report.count("connectionCapExceeded", maxConnections > DB_CONSUMERS ? 1 : 0);
            report.figure("dbConnectionCap", DB_CONSUMERS);
            report.figure("maxDbConnectionsSeen", maxConnections);
            report.figure("connectionSamplesWithoutDatabase", rig.sampler().failedSamples());
        }
        return report;
    }

    /** Runs {@code action} on its own thread once {@code delay} has passed. */
    private Thread after(Duration delay, Runnable action, String done) {
        Thread t = new Thread(() -> {
            try {
                Thread.sleep(delay.toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            action.run();
            out.println("  infra: " + done);
        }, "chaos-infra-restart");
        t.start();
        return t;
    }
}
