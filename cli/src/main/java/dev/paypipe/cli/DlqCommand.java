package dev.paypipe.cli;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.TopicLayout;
import java.io.PrintStream;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Inspect and replay dead letters. */
@Command(name = "dlq", mixinStandardHelpOptions = true,
        description = "Dead letters: list them (counts by error class and a table; card tokens masked) or replay "
                + "request dead letters to payment-requests with the same key and a paypipe-replayed-from header.",
        subcommands = {DlqCommand.ListLetters.class, DlqCommand.Replay.class})
final class DlqCommand implements Runnable {
    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    enum Dlq { REQUESTS, RESULTS }

    static final class DlqConverter implements picocli.CommandLine.ITypeConverter<Dlq> {
        @Override
        public Dlq convert(String value) {
            return CliEnums.parse(Dlq.class, value, "--topic");
        }
    }

    /** The filters both subcommands take. */
    static final class Filters {
        @Mixin
        ConfigOption config;

        @Option(names = "--topic", defaultValue = "requests", converter = DlqConverter.class,
                description = "requests (payment-requests-dlq) or results (payment-results-dlq). Default ${DEFAULT-VALUE}.")
        Dlq topic;

        @Option(names = "--error-class", paramLabel = "CLASS", description = "Only this error class (repeatable), e.g. "
                + "timeout, connect_failed, http_503, invalid_request (the paypipe-error-class header).")
        List<String> errorClasses = new ArrayList<>();

        @Option(names = "--since", paramLabel = "TIME", description = "Dead-lettered at or after: ISO-8601 instant "
                + "(2026-12-02T01:00:00Z) or an age (2h, 30m).")
        String since;

        @Option(names = "--until", paramLabel = "TIME", description = "Dead-lettered before: instant or age.")
        String until;

        @Option(names = "--limit", defaultValue = "1000", description = "At most this many letters (default ${DEFAULT-VALUE}).")
        int limit;

        DeadLetters.Filter filter(Instant now) {
            return new DeadLetters.Filter(new HashSet<>(errorClasses), time("--since", since, now), time("--until", until, now));
        }

        String topicName(TopicLayout topics) {
            return topic == Dlq.REQUESTS ? topics.requestsDlq() : topics.resultsDlq();
        }

        static Instant time(String option, String value, Instant now) {
            if (value == null) {
                return null;
            }
            try {
                return Instant.parse(value);
            } catch (DateTimeParseException e) {
                Duration age = dev.paypipe.config.ConfigSource.parseDuration(value);
                if (age == null) {
                    throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(new DlqCommand()), option
                            + " '" + value + "' is neither an ISO-8601 instant nor an age such as 2h");
                }
                return now.minus(age);
            }
        }
    }

    /** Every matching letter in the topic up to its end at the time of the call, oldest first, at most {@code limit}. */
    static List<DeadLetters.DeadLetter> read(KafkaSettings kafka, String topic, DeadLetters.Filter filter, int limit) {
        var props = kafka.clientProperties();
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "paypipe-dlq-" + UUID.randomUUID().toString().substring(0, 8));
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        List<DeadLetters.DeadLetter> out = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(props, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            var infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
            if (infos == null || infos.isEmpty()) {
                throw new IllegalStateException("dead-letter topic " + topic + " does not exist on "
                        + kafka.bootstrapServers() + " (nothing was ever dead-lettered, or check kafka.topic-prefix)");
            }
            List<TopicPartition> parts = infos.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(parts);
            consumer.seekToBeginning(parts);
            Map<TopicPartition, Long> end = consumer.endOffsets(parts);
            Instant deadline = Instant.now().plusSeconds(120);
            while (out.size() < limit && parts.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException(topic + " not read to its end within 120 s; narrow --since or check "
                            + "the cluster");
                }
                for (ConsumerRecord<String, byte[]> r : consumer.poll(Duration.ofMillis(500))) {
                    if (r.offset() >= end.get(new TopicPartition(r.topic(), r.partition()))) {
                        continue; // arrived after the call: not part of this listing
                    }
                    DeadLetters.DeadLetter letter = DeadLetters.DeadLetter.of(r);
                    if (filter.matches(letter) && out.size() < limit) {
                        out.add(letter);
                    }
                }
            }
        }
        return out;
    }

    static void printTable(List<DeadLetters.DeadLetter> letters, PrintStream out) {
        out.printf("%d dead letter(s)%n", letters.size());
        DeadLetters.countsByClass(letters).forEach((cls, n) -> out.printf("  %-28s %6d%n", cls, n));
        if (letters.isEmpty()) {
            return;
        }
        out.printf("%n%-34s %-24s %-26s %-8s %-22s %s%n", "LETTER", "PAYMENT ID", "DEAD-LETTERED AT", "ATTEMPTS",
                "ERROR CLASS", "MESSAGE / VALUE");
        for (DeadLetters.DeadLetter l : letters) {
            out.printf("%-34s %-24s %-26s %-8s %-22s %s%n", l.coordinates(), l.key(),
                    l.deadLetteredAt() == null ? "-" : l.deadLetteredAt(), l.attempts() == null ? "-" : l.attempts(),
                    l.errorClass(), l.errorMessage() == null ? "" : l.errorMessage());
            out.printf("    %s%n", DeadLetters.maskedValue(l.record().value()));
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "Counts by error class, then one row per letter "
            + "with its value (card tokens masked).")
    static final class ListLetters implements Callable<Integer> {
        @Mixin
        Filters filters;

        @Override
        public Integer call() {
            KafkaSettings kafka = KafkaSettings.from(filters.config.load());
            String topic = filters.topicName(kafka.topics());
            printTable(read(kafka, topic, filters.filter(Instant.now()), filters.limit), System.out);
            return 0;
        }
    }

    @Command(name = "replay", mixinStandardHelpOptions = true,
            description = "Re-publish matching request dead letters to payment-requests: same key (the idempotency key) "
                    + "and value, a paypipe-replayed-from header for audit, paced at --rate per second.")
    static final class Replay implements Callable<Integer> {
        @Mixin
        Filters filters;

        @Option(names = "--rate", defaultValue = "10", description = "Records per second (default ${DEFAULT-VALUE}).")
        double rate;

        @Option(names = "--dry-run", description = "Show what would be replayed; publish nothing.")
        boolean dryRun;

        @Override
        public Integer call() throws Exception {
            if (filters.topic != Dlq.REQUESTS) {
                System.err.println("paypipe dlq replay: only request dead letters can be replayed; result dead letters "
                        + "are rows the database refused (fix the row, or run paypipe reconcile)");
                return 2;
            }
            KafkaSettings kafka = KafkaSettings.from(filters.config.load());
            List<DeadLetters.DeadLetter> matching = read(kafka, filters.topicName(kafka.topics()),
                    filters.filter(Instant.now()), filters.limit);
            java.util.Set<String> named = java.util.Set.copyOf(filters.errorClasses);
            List<DeadLetters.DeadLetter> letters = matching.stream().filter(l -> DeadLetters.worthReplaying(l, named)).toList();
            if (letters.size() < matching.size()) {
                System.out.printf("skipping %d letter(s) of classes %s: a replay would be refused again "
                        + "(name them with --error-class to replay anyway)%n", matching.size() - letters.size(),
                        DeadLetters.NOT_REPLAYABLE);
            }
            if (dryRun) {
                printTable(letters, System.out);
                System.out.printf("dry run: would replay %d letter(s) to %s at %.1f/s%n", letters.size(),
                        kafka.topics().requests(), rate);
                return 0;
            }
            return replay(kafka, letters);
        }

        private int replay(KafkaSettings kafka, List<DeadLetters.DeadLetter> letters) throws InterruptedException {
            ReplayPacer pacer = new ReplayPacer(rate, Clock.systemUTC(), d -> TimeUnit.NANOSECONDS.sleep(d.toNanos()));
            List<Future<RecordMetadata>> sends = new ArrayList<>();
            try (KafkaProducer<String, byte[]> producer = new KafkaProducer<>(kafka.producerProperties("paypipe-dlq-replay"),
                    new StringSerializer(), new ByteArraySerializer())) {
                // Fetch the topic's metadata before the pacing starts: otherwise the first send waits for it, its
                // record is stamped that much later, and the first interval is shorter than 1/rate.
                producer.partitionsFor(kafka.topics().requests());
                for (DeadLetters.DeadLetter letter : letters) {
                    pacer.acquire();
                    sends.add(producer.send(DeadLetters.replay(letter, kafka.topics().requests(), Instant.now())));
                }
                producer.flush();
            }
            int failed = 0;
            for (int i = 0; i < sends.size(); i++) {
                try {
                    sends.get(i).get();
                } catch (ExecutionException e) {
                    failed++;
                    System.err.printf("not replayed: %s (%s)%n", letters.get(i).coordinates(), e.getCause());
                }
            }
            System.out.printf("replayed %d of %d letter(s) to %s with header %s%n", letters.size() - failed,
                    letters.size(), kafka.topics().requests(), DeadLetters.REPLAYED_FROM);
            return failed == 0 ? 0 : 3;
        }
    }
}
