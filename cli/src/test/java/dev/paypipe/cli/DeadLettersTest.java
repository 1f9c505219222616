package dev.paypipe.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.kafka.PaymentHeaders;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.jupiter.api.Test;

class DeadLettersTest {
    private static final Instant T0 = Instant.parse("2026-12-02T01:00:00Z");
    private static final String REQUEST = "{\"paymentId\":\"pay-1\",\"orderId\":\"o-1\",\"amount\":\"10.00\",\"currency\":\"EUR\","
            + "\"customerId\":\"c-1\",\"paymentMethod\":\"tok_visa_4242424242\",\"createdAt\":\"2026-12-02T00:59:00Z\","
            + "\"metadata\":{\"card\":{\"token\":\"tok_mastercard_5555555555\"}}}";

    @Test
    void neverPrintsThePaymentTokenAtAnyDepth() {
        String shown = DeadLetters.maskedValue(REQUEST.getBytes(StandardCharsets.UTF_8));

        assertThat(shown).doesNotContain("tok_visa_4242424242", "tok_mastercard_5555555555")
                .contains("\"paymentMethod\":\"****4242\"", "\"token\":\"****5555\"", "\"paymentId\":\"pay-1\"");
    }

    @Test
    void aValueThatIsNotJsonIsNotPrintedAtAll() {
        assertThat(DeadLetters.maskedValue("paymentMethod=tok_visa_4242424242".getBytes(StandardCharsets.UTF_8)))
                .isEqualTo("<33 bytes, not a JSON object: not shown>");
        assertThat(DeadLetters.maskedValue("\"tok_visa_4242424242\"".getBytes(StandardCharsets.UTF_8))).doesNotContain("tok_");
    }

    @Test
    void filtersByErrorClassAndDeadLetteredAtTime() {
        List<DeadLetters.DeadLetter> letters = List.of(
                letter(0, "timeout", T0.minusSeconds(3600)),
                letter(1, "timeout", T0),
                letter(2, "http_503", T0.plusSeconds(60)),
                letter(3, "invalid_request", T0.plusSeconds(7200)));

        DeadLetters.Filter timeouts = new DeadLetters.Filter(Set.of("timeout"), null, null);
        DeadLetters.Filter window = new DeadLetters.Filter(Set.of(), T0, T0.plusSeconds(3600));
        DeadLetters.Filter both = new DeadLetters.Filter(Set.of("timeout", "http_503"), T0, null);

        assertThat(letters.stream().filter(timeouts::matches).map(DeadLetters.DeadLetter::offset)).containsExactly(0L, 1L);
        assertThat(letters.stream().filter(window::matches).map(DeadLetters.DeadLetter::offset)).containsExactly(1L, 2L);
        assertThat(letters.stream().filter(both::matches).map(DeadLetters.DeadLetter::offset)).containsExactly(1L, 2L);
        assertThat(DeadLetters.countsByClass(letters)).containsExactly(java.util.Map.entry("http_503", 1L),
                java.util.Map.entry("invalid_request", 1L), java.util.Map.entry("timeout", 2L));
    }

    @Test
    void aLetterWithoutTheDeadLetteredAtHeaderIsFilteredByItsRecordTimestamp() {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("payment-requests-dlq", 0, 9, T0.toEpochMilli(),
                org.apache.kafka.common.record.TimestampType.CREATE_TIME, 0, 0, "pay-9", new byte[0],
                new org.apache.kafka.common.header.internals.RecordHeaders(), java.util.Optional.empty());
        DeadLetters.DeadLetter letter = DeadLetters.DeadLetter.of(r);

        assertThat(letter.errorClass()).isEqualTo("unknown");
        assertThat(new DeadLetters.Filter(Set.of(), T0.minusSeconds(1), T0.plusSeconds(1)).matches(letter)).isTrue();
        assertThat(new DeadLetters.Filter(Set.of(), T0.plusSeconds(1), null).matches(letter)).isFalse();
    }

    @Test
    void aReplayKeepsKeyValueAndCallerHeadersDropsAttemptHistoryAndNamesItsOrigin() {
        DeadLetters.DeadLetter letter = letter(42, "timeout", T0);
        letter.record().headers().add(new RecordHeader("traceparent", "00-abc-def-01".getBytes(StandardCharsets.UTF_8)));

        ProducerRecord<String, byte[]> replay = DeadLetters.replay(letter, "payment-requests", T0.plusSeconds(5));

        assertThat(replay.topic()).isEqualTo("payment-requests");
        assertThat(replay.key()).isEqualTo("pay-42");
        assertThat(replay.value()).isSameAs(letter.record().value());
        assertThat(PaymentHeaders.string(replay.headers(), DeadLetters.REPLAYED_FROM)).isEqualTo("payment-requests-dlq-0@42");
        assertThat(PaymentHeaders.string(replay.headers(), DeadLetters.REPLAYED_AT)).isEqualTo("2026-12-02T01:00:05Z");
        assertThat(PaymentHeaders.string(replay.headers(), "traceparent")).isEqualTo("00-abc-def-01");
        assertThat(replay.headers().lastHeader(PaymentHeaders.ATTEMPT)).isNull();
        assertThat(replay.headers().lastHeader(PaymentHeaders.ERROR_CLASS)).isNull();
    }

    @Test
    void replaySkipsInvalidAndConflictingRequestsUnlessNamed() {
        assertThat(DeadLetters.worthReplaying(letter(1, "timeout", T0), Set.of())).isTrue();
        assertThat(DeadLetters.worthReplaying(letter(2, "invalid_request", T0), Set.of())).isFalse();
        assertThat(DeadLetters.worthReplaying(letter(3, "IDEMPOTENCY_CONFLICT", T0), Set.of())).isFalse();
        assertThat(DeadLetters.worthReplaying(letter(4, "invalid_request", T0), Set.of("invalid_request"))).isTrue();
    }

    @Test
    void sinceAndUntilAcceptAnInstantOrAnAge() {
        assertThat(DlqCommand.Filters.time("--since", "2h", T0)).isEqualTo(T0.minus(Duration.ofHours(2)));
        assertThat(DlqCommand.Filters.time("--since", "2026-12-01T00:00:00Z", T0)).isEqualTo(Instant.parse("2026-12-01T00:00:00Z"));
        assertThat(DlqCommand.Filters.time("--until", null, T0)).isNull();
    }

    @Test
    void thePacerSpacesSendsAtTheRate() throws Exception {
        MutableClock clock = new MutableClock(T0);
        List<Duration> waits = new ArrayList<>();
        ReplayPacer pacer = new ReplayPacer(4, clock, d -> {
            waits.add(d);
            clock.now = clock.now.plus(d);
        });

        for (int i = 0; i < 5; i++) {
            pacer.acquire();
        }

        assertThat(waits).containsExactly(Duration.ofMillis(250), Duration.ofMillis(250), Duration.ofMillis(250),
                Duration.ofMillis(250));
        assertThat(Duration.between(T0, clock.now)).isEqualTo(Duration.ofSeconds(1));
    }

    private static DeadLetters.DeadLetter letter(long offset, String errorClass, Instant at) {
        ConsumerRecord<String, byte[]> r = new ConsumerRecord<>("payment-requests-dlq", 0, offset, "pay-" + offset,
                REQUEST.getBytes(StandardCharsets.UTF_8));
        PaymentHeaders.put(r.headers(), PaymentHeaders.ERROR_CLASS, errorClass);
        PaymentHeaders.put(r.headers(), PaymentHeaders.DEAD_LETTERED_AT, at.toString());
        PaymentHeaders.put(r.headers(), PaymentHeaders.ATTEMPT, 5);
        return DeadLetters.DeadLetter.of(r);
    }

    static final class MutableClock extends Clock {
        Instant now;

        MutableClock(Instant now) {
            this.now = now;
        }

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }
}
