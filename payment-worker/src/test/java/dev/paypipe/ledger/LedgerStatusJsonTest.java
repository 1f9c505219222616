package dev.paypipe.ledger;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class LedgerStatusJsonTest {
    private static final long T0 = Instant.parse("2026-01-31T12:00:00Z").toEpochMilli();

    @Test
    void aRetryingPaymentShowsItsAttemptDueTimeAndLastError() {
        LedgerEntry e = LedgerEntry.accepted(null, T0).retrying(2, T0 + 5000, "http_503", T0 + 1000);

        assertThat(json(e)).isEqualTo("{\"paymentId\":\"pay-1\",\"state\":\"RETRYING\",\"attempts\":2,"
                + "\"nextAttemptAt\":\"2026-01-31T12:00:05Z\",\"lastErrorClass\":\"http_503\","
                + "\"acceptedAt\":\"2026-01-31T12:00:00Z\",\"updatedAt\":\"2026-01-31T12:00:01Z\"}");
    }

    @Test
    void aFinalPaymentShowsItsStatusAndThePublishedResult() {
        byte[] result = "{\"paymentId\":\"pay-1\",\"status\":\"APPROVED\"}".getBytes(StandardCharsets.UTF_8);
        LedgerEntry e = LedgerEntry.accepted(null, T0).finished(PaymentStatus.UNKNOWN, 3, "timeout", new byte[] {'{', '}'},
                T0).finished(PaymentStatus.APPROVED, 3, null, result, T0 + 2000);

        assertThat(json(e)).isEqualTo("{\"paymentId\":\"pay-1\",\"state\":\"FINAL\",\"status\":\"APPROVED\","
                + "\"settledAfterUnknown\":true,\"attempts\":3,\"acceptedAt\":\"2026-01-31T12:00:00Z\","
                + "\"updatedAt\":\"2026-01-31T12:00:02Z\",\"result\":{\"paymentId\":\"pay-1\",\"status\":\"APPROVED\"}}");
    }

    private static String json(LedgerEntry e) {
        return new String(LedgerStatusJson.status("pay-1", e), StandardCharsets.UTF_8);
    }
}
