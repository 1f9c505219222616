package dev.paypipe.cli.dev.chaos;

import static dev.paypipe.cli.dev.chaos.Campaigns.awaitUntil;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentStatus;
import java.io.PrintStream;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Valid payments through a running rig, then the three-source verdict: publishes {@code payments} (calling
 * {@code during} with each index as it goes, for a campaign's interference), waits for every result on the topic and
 * every row, and judges.
 */
final class PaymentRun {
    /** Interference a campaign runs while the payments are published ({@code i} is the index about to go out). */
    interface During {
        void before(int i) throws Exception;
    }

    private PaymentRun() {
    }

    static CampaignReport run(String name, PipelineRig rig, int payments, Set<PaymentStatus> statuses,
            Duration deadline, During during, PrintStream out) throws Exception {
        CampaignReport report = new CampaignReport(name);
        PaymentFactory factory = new PaymentFactory(name.replaceAll("[^A-Za-z0-9._:-]", "_") + "-"
                + UUID.randomUUID().toString().substring(0, 4));
        List<Expectation> expected = new ArrayList<>(payments);
        try (ResultCollector results = ResultCollector.results(rig.topics().bootstrapServers(),
                rig.topics().topics().results())) {
            for (int i = 0; i < payments; i++) {
                during.before(i);
                PaymentRequest r = factory.request(i);
                rig.publisher().publish(r);
                expected.add(Expectation.completes(r.paymentId(), r.amount(), statuses));
            }
            rig.publisher().flush();
            boolean all = awaitUntil(deadline, () -> results.payments() >= payments);
            List<String> ids = expected.stream().map(Expectation::paymentId).toList();
            boolean rows = awaitUntil(all ? deadline : Duration.ZERO, () -> {
                try {
                    return ThreeSourceVerdict.rows(rig.db(), ids).size() >= payments;
                } catch (SQLException databaseAway) {
                    return false;
                }
            });
            if (!all || !rows) {
                report.note("gave up waiting after " + deadline + ": " + results.payments() + " results, "
                        + ThreeSourceVerdict.rows(rig.db(), ids).size() + " rows of " + payments);
            }
            ThreeSourceVerdict.judge(report, expected, rig.simulator(), ThreeSourceVerdict.rows(rig.db(), ids), results);
            report.figure("gatewayChargeCalls", rig.simulator().stats().chargeCalls());
            report.figure("gatewayLookups", rig.simulator().stats().lookupCalls());
            report.figure("maxDbConnectionsSeen", rig.sampler().max());
        }
        out.printf("  %-34s %s%n", name, report.ok() ? "OK" : "FAILED " + report.toMap());
        return report;
    }
}
