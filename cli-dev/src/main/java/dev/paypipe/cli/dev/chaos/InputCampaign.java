package dev.paypipe.cli.dev.chaos;

import static dev.paypipe.cli.dev.chaos.Campaigns.awaitUntil;

import dev.paypipe.cli.dev.PipelineRig;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.load.BadRecordCorpus;
import dev.paypipe.load.BadRecordCorpus.BadRecord;
import dev.paypipe.load.PaymentFactory;
import dev.paypipe.load.ResultCollector;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.PaymentRequestValidator;
import dev.paypipe.sim.SimulatorConfig;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * The {@code input} campaign: every kind of the {@link BadRecordCorpus} published {@code rounds} times to a running
 * ledger, worker and db-writer, each followed by a valid payment. Every bad record must end REJECTED naming its
 * problem (or, without a usable id, be answered under its origin) and be dead-lettered with the reason, none may reach
 * the gateway, every valid payment must still complete, and no secret may show in a log line or dead-letter header.
 */
public final class InputCampaign {
    private static final Set<PaymentStatus> COMPLETED = Set.of(PaymentStatus.APPROVED, PaymentStatus.DECLINED);

    private final int rounds;
    private final Duration deadline;
    private final PrintStream out;

    public InputCampaign(int rounds, Duration deadline, PrintStream out) {
        this.rounds = rounds;
        this.deadline = deadline;
        this.out = out;
    }

    public CampaignReport run() throws Exception {
        SimulatorConfig sim = SimulatorConfig.builder().latency(Duration.ofMillis(5)).declineRate(0.1).noFaults().build();
        try (SecretScan scan = SecretScan.attach();
                PipelineRig rig = PipelineRig.start(PipelineRig.Settings.demo(1, 4, sim, 64, 2, true, 5))) {
            return run(rig, scan);
        }
    }

    /** Runs the campaign on a rig that is already up (with its ledger), scanning logs and headers with {@code scan}. */
    public CampaignReport run(PipelineRig rig, SecretScan scan) throws Exception {
        CampaignReport report = new CampaignReport("input");
        String run = "in" + UUID.randomUUID().toString().substring(0, 6);
        PaymentFactory valid = new PaymentFactory(run + "-ok");
        BadRecordCorpus.CARD_NUMBERS.forEach(scan::secret);
        scan.secret(SimulatorConfig.DEFAULT_API_KEY);
        scan.secret(rig.db().password());
        List<BadRecord> bad = new ArrayList<>();
        List<Expectation> expected = new ArrayList<>();
        String bootstrap = rig.topics().bootstrapServers();
        try (ResultCollector results = ResultCollector.results(bootstrap, rig.topics().topics().results());
                ResultCollector deadLetters = ResultCollector.raw(bootstrap, rig.topics().topics().requestsDlq());
                KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(
                        rig.topics().producerProperties("chaos-hostile-publisher"), new ByteArraySerializer(),
                        new ByteArraySerializer())) {
            int n = 0;
            for (int round = 0; round < rounds; round++) {
                for (BadRecord r : BadRecordCorpus.generate(run + "-" + round, Instant.now())) {
                    RecordHeaders headers = new RecordHeaders();
                    headers.add(BadRecordCorpus.ENTRY_HEADER, entryId(round, r).getBytes(StandardCharsets.UTF_8));
                    producer.send(new ProducerRecord<>(rig.topics().topics().requests(), null, r.key(), r.value(),
                            headers));
                    bad.add(r);
                    PaymentRequest ok = valid.request(n++);
                    scan.secret(ok.paymentMethod());
                    rig.publisher().publish(ok);
                    expected.add(Expectation.completes(ok.paymentId(), ok.amount(), COMPLETED));
                }
            }
            producer.flush();
            rig.publisher().flush();
            out.printf("  input: published %d bad records (%d kinds x %d rounds) and %d valid payments%n", bad.size(),
                    bad.size() / rounds, rounds, n);

            awaitUntil(deadline, () -> deadLetters.records().size() >= bad.size()
                    && expected.stream().allMatch(e -> !results.resultsFor(e.paymentId()).isEmpty()));
            Map<String, ConsumerRecord<String, byte[]>> deadByEntry = new HashMap<>();
            for (ConsumerRecord<String, byte[]> d : deadLetters.records()) {
                scan.deadLetter(rig.topics().topics().requestsDlq(), d.headers());
                String entry = PaymentHeaders.string(d.headers(), BadRecordCorpus.ENTRY_HEADER);
                if (entry != null && deadByEntry.put(entry, d) != null) {
                    report.offence("duplicateResults", "two dead letters for corpus entry " + entry);
                }
            }
            int round = -1;
            for (int i = 0; i < bad.size(); i++) {
                BadRecord r = bad.get(i);
                round = i % (bad.size() / rounds) == 0 ? round + 1 : round;
                String entry = entryId(round, r);
                ConsumerRecord<String, byte[]> dead = deadByEntry.get(entry);
                if (dead == null) {
                    report.offence("missingDeadLetters", entry + ": no dead letter");
                } else if (!String.valueOf(PaymentHeaders.string(dead.headers(), PaymentHeaders.ERROR_MESSAGE))
                        .contains(r.reason())) {
                    report.offence("missingDeadLetters", entry + ": dead letter's reason '" + PaymentHeaders.string(
                            dead.headers(), PaymentHeaders.ERROR_MESSAGE) + "' does not name '" + r.reason() + "'");
                }
                String id = r.filedUnder();
                if (id == null && dead != null) {
                    id = "invalid:" + PaymentHeaders.string(dead.headers(), PaymentHeaders.ORIGIN);
                }
                if (id != null) {
                    expected.add(Expectation.rejected(id, r.reason(), id.length() <= PaymentRequestValidator.MAX_ID_LENGTH));
                }
                if (r.key() != null && rig.simulator().stats().chargeCallsFor(r.keyText()) > 0) {
                    report.offence("chargedWrongAmount", entry + ": its key reached the gateway");
                }
            }
            report.count("missingDeadLetters", 0);
            awaitUntil(deadline, () -> expected.stream().allMatch(e -> !results.resultsFor(e.paymentId()).isEmpty()));
            List<String> ids = expected.stream().filter(Expectation::stored).map(Expectation::paymentId).toList();
            awaitUntil(deadline, () -> ThreeSourceVerdict.rows(rig.db(), ids).size() >= ids.size());
            ThreeSourceVerdict.judge(report, expected, rig.simulator(), ThreeSourceVerdict.rows(rig.db(), ids), results);
            long keys = rig.simulator().ledger().keys();
            if (keys != n) {
                report.offence("chargedWrongAmount", "the gateway holds outcomes for " + keys + " keys, " + n
                        + " valid payments were published");
            }
            report.figure("badRecords", bad.size());
            report.figure("kinds", bad.size() / rounds);
            report.figure("validPayments", n);
            report.figure("gatewayChargeCalls", rig.simulator().stats().chargeCalls());
            scan.report(report);
        }
        return report;
    }

    private static String entryId(int round, BadRecord r) {
        return round + "/" + r.name();
    }
}
