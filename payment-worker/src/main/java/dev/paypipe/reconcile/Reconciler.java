package dev.paypipe.reconcile;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.ChargeLookup;
import dev.paypipe.gateway.PaymentGateway;
import dev.paypipe.json.MalformedResultException;
import dev.paypipe.json.PaymentJson;
import dev.paypipe.kafka.PaymentHeaders;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.model.RequestCheck;
import dev.paypipe.processing.PaymentProcessor;
import dev.paypipe.processing.Reconciliation;
import dev.paypipe.worker.RetryHeaders;
import dev.paypipe.worker.WorkerConfig;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.function.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code paypipe reconcile}: reads {@code payment-results} up to its current end, finds payments whose
 * latest result is UNKNOWN, looks each one up at the gateway by idempotency key, and
 * <ul>
 *   <li>publishes the settled result where the gateway has a charge (to {@code payment-outcomes} behind
 *       the ledger, whose exit passes an UNKNOWN's one settlement; to {@code payment-results} without it);
 *   <li>re-drives the payment where the look-up, sent after the last attempt's deadline, found no charge:
 *       the request's raw bytes, found by key on {@code payment-requests-dlq} (the worker dead-letters every
 *       UNKNOWN), go to a retry tier with a fresh attempt budget, and the worker charges them again with
 *       the same idempotency key.
 * </ul>
 */
public final class Reconciler {
    private static final Logger log = LoggerFactory.getLogger(Reconciler.class);
    /** {@link RetryHeaders#REDRIVEN_BY} on the records this class re-drives. */
    public static final String REDRIVEN_BY_RECONCILE = "reconcile";

    /**
     * What a run found and did.
     *
     * @param redriven UNKNOWN payments without a charge, sent back to the worker to be charged again
     * @param stillUnknown payments left UNKNOWN: look-up failed, too recent, or no dead letter with their request
     * @param requestsMissing payments that could be re-driven but whose request was not on the dead-letter topic
     */
    public record Report(long resultsRead, int unknown, int approved, int declined, int redriven, int stillUnknown,
            int lookupFailures, int requestsMissing) {
    }

    private final KafkaSettings kafka;
    private final String settledTopic;
    private final PaymentGateway gateway;
    private final PaymentProcessor processor;
    private final Clock clock;
    private final int concurrency;

    /**
     * @param intake where the workers publish: settled results go where a worker's decision would
     * @param processor decides each payment; its call deadline must be the workers' {@code gateway.response-timeout}
     */
    public Reconciler(KafkaSettings kafka, WorkerConfig.Intake intake, PaymentGateway gateway,
            PaymentProcessor processor, Clock clock, int concurrency) {
        this.kafka = kafka;
        this.settledTopic = intake.resultsTopic(kafka.topics());
        this.gateway = gateway;
        this.processor = processor;
        this.clock = clock;
        this.concurrency = concurrency;
    }

    public Report run() {
        Map<String, PaymentResult> latest = new HashMap<>();
        long read = readToEnd(kafka.topics().results(), r -> {
            try {
                PaymentResult result = PaymentJson.decodeResult(r.value());
                latest.merge(result.paymentId(), result, (held, candidate) -> candidate.supersedes(held) ? candidate : held);
            } catch (MalformedResultException e) {
                log.atWarn().setMessage("malformed result skipped").addKeyValue("event", "reconcile_skipped_malformed")
                        .addKeyValue("origin", r.topic() + "-" + r.partition() + "@" + r.offset())
                        .addKeyValue("problem", e.getMessage()).log();
            }
        });
        List<PaymentResult> unknown = latest.values().stream().filter(r -> r.status() == PaymentStatus.UNKNOWN).toList();
        log.atInfo().setMessage("reconcile started").addKeyValue("event", "reconcile_started")
                .addKeyValue("resultsRead", read).addKeyValue("unknown", unknown.size()).log();

        List<Reconciliation> decisions = lookUp(unknown);
        Map<String, Reconciliation.Redrive> redrives = new HashMap<>();
        for (int i = 0; i < unknown.size(); i++) {
            if (decisions.get(i) instanceof Reconciliation.Redrive redrive) {
                redrives.put(unknown.get(i).paymentId(), redrive);
            }
        }
        Map<String, ConsumerRecord<String, byte[]>> requests = redrives.isEmpty() ? Map.of() : deadLetteredRequests(redrives);

        int approved = 0;
        int declined = 0;
        int redriven = 0;
        int stillUnknown = 0;
        int failures = 0;
        int missing = 0;
        try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(
                kafka.producerProperties("paypipe-reconcile"), new StringSerializer(), new ByteArraySerializer())) {
            List<Future<?>> sends = new ArrayList<>();
            for (int i = 0; i < unknown.size(); i++) {
                PaymentResult payment = unknown.get(i);
                Reconciliation decision = decisions.get(i);
                if (decision instanceof Reconciliation.Settled settled) {
                    if (settled.result().status() == PaymentStatus.APPROVED) {
                        approved++;
                    } else {
                        declined++;
                    }
                    sends.add(producer.send(new ProducerRecord<>(settledTopic, payment.paymentId(),
                            PaymentJson.encodeResult(settled.result()))));
                } else if (decision instanceof Reconciliation.Redrive redrive) {
                    ConsumerRecord<String, byte[]> request = requests.get(payment.paymentId());
                    if (request == null) {
                        missing++;
                        stillUnknown++;
                        log.atWarn().setMessage("the gateway holds no charge but the request is not on the "
                                + "dead-letter topic: publish it again to the requests topic with the same paymentId")
                                .addKeyValue("event", "reconcile_request_missing")
                                .addKeyValue("paymentId", payment.paymentId())
                                .addKeyValue("topic", kafka.topics().requestsDlq()).log();
                        continue;
                    }
                    redriven++;
                    log.atInfo().setMessage(redrive.reason()).addKeyValue("event", "reconcile_redrive")
                            .addKeyValue("paymentId", payment.paymentId()).addKeyValue("priorAttempts", payment.attempts())
                            .addKeyValue("tier", redrive.tier()).log();
                    sends.add(producer.send(redriveRecord(payment, request, redrive)));
                } else {
                    Reconciliation.Unresolved unresolved = (Reconciliation.Unresolved) decision;
                    stillUnknown++;
                    if (unresolved.lookupFailed()) {
                        failures++;
                    }
                    log.atWarn().setMessage(unresolved.reason()).addKeyValue("event", "reconcile_unresolved")
                            .addKeyValue("paymentId", payment.paymentId()).log();
                }
            }
            for (Future<?> send : sends) {
                send.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while publishing reconciled results", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("could not publish reconciled results or re-drives: " + e.getCause()
                    + "; running reconcile again is safe", e);
        }
        Report report = new Report(read, unknown.size(), approved, declined, redriven, stillUnknown, failures, missing);
        log.atInfo().setMessage("reconcile finished").addKeyValue("event", "reconcile_finished")
                .addKeyValue("report", report).log();
        return report;
    }

    /** Looks every payment up, at most {@code concurrency} at once, and decides each one. */
    private List<Reconciliation> lookUp(List<PaymentResult> unknown) {
        Semaphore permits = new Semaphore(concurrency);
        List<Instant> sentAt = new ArrayList<>(unknown.size());
        List<CompletableFuture<ChargeLookup>> lookups = new ArrayList<>(unknown.size());
        for (PaymentResult r : unknown) {
            permits.acquireUninterruptibly();
            sentAt.add(clock.instant());
            lookups.add(gateway.lookup(r.paymentId()).whenComplete((l, e) -> permits.release()));
        }
        List<Reconciliation> decisions = new ArrayList<>(unknown.size());
        for (int i = 0; i < unknown.size(); i++) {
            decisions.add(processor.reconcile(unknown.get(i), lookups.get(i).join(), sentAt.get(i)));
        }
        return decisions;
    }

    /**
     * The latest dead letter per payment among {@code wanted} whose value is a valid request for that
     * payment (the raw bytes the worker dead-lettered with the UNKNOWN).
     */
    private Map<String, ConsumerRecord<String, byte[]>> deadLetteredRequests(Map<String, ?> wanted) {
        Map<String, ConsumerRecord<String, byte[]>> found = new HashMap<>();
        readToEnd(kafka.topics().requestsDlq(), r -> {
            if (r.key() == null || !wanted.containsKey(r.key()) || r.value() == null) {
                return;
            }
            RequestCheck check = PaymentJson.decodeRequest(r.value());
            if (check.isValid() && r.key().equals(check.request().paymentId())) {
                found.put(r.key(), r);
            }
        });
        return found;
    }

    /**
     * The request bytes to the retry tier with a fresh budget: attempt 0, not ambiguous (the 404 after the
     * deadline proved no attempt charged), due as a first retry; the caller's own headers and the origin
     * are kept, the earlier series' paypipe headers are replaced by the re-drive markers.
     */
    private ProducerRecord<String, byte[]> redriveRecord(PaymentResult payment, ConsumerRecord<String, byte[]> dead,
            Reconciliation.Redrive redrive) {
        RecordHeaders headers = new RecordHeaders();
        for (Header h : dead.headers()) {
            if (!h.key().startsWith("paypipe-") || h.key().equals(PaymentHeaders.ORIGIN)) {
                headers.add(h);
            }
        }
        RetryHeaders.put(headers, redrive.history(), redrive.dueAt());
        PaymentHeaders.put(headers, RetryHeaders.REDRIVEN_BY, REDRIVEN_BY_RECONCILE);
        PaymentHeaders.put(headers, RetryHeaders.PRIOR_ATTEMPTS, payment.attempts());
        return new ProducerRecord<>(kafka.topics().retryTier(redrive.tier()), null, payment.paymentId(), dead.value(),
                headers);
    }

    /** Reads every partition of {@code topic} from the beginning to the end offsets seen at start. */
    private long readToEnd(String topic, Consumer<ConsumerRecord<String, byte[]>> each) {
        Map<String, Object> props = kafka.clientProperties();
        props.put("group.id", "paypipe-reconcile-" + UUID.randomUUID());
        props.put("enable.auto.commit", false);
        props.put("isolation.level", "read_committed");
        long read = 0;
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(30)).stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(200))) {
                    read++;
                    each.accept(r);
                }
            }
        }
        return read;
    }
}
