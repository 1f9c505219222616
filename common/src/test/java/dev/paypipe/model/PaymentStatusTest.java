package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class PaymentStatusTest {
    @Test
    void aSettledOutcomeOutranksUnknownAndFailed() {
        assertThat(PaymentStatus.APPROVED.precedence()).isGreaterThan(PaymentStatus.FAILED.precedence());
        assertThat(PaymentStatus.FAILED.precedence()).isGreaterThan(PaymentStatus.UNKNOWN.precedence());
        assertThat(PaymentStatus.DECLINED.precedence()).isEqualTo(PaymentStatus.APPROVED.precedence());
    }

    @Test
    void onlyUnknownIsUnsettled() {
        for (PaymentStatus s : PaymentStatus.values()) {
            assertThat(s.isSettled()).as(s.name()).isEqualTo(s != PaymentStatus.UNKNOWN);
        }
    }
}
