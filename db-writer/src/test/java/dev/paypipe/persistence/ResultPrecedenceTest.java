package dev.paypipe.persistence;

import static dev.paypipe.model.PaymentStatus.APPROVED;
import static dev.paypipe.model.PaymentStatus.DECLINED;
import static dev.paypipe.model.PaymentStatus.FAILED;
import static dev.paypipe.model.PaymentStatus.UNKNOWN;
import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentResult;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultPrecedenceTest {

    @Test
    void settledStatusReplacesUnknownButNeverTheOtherWayRound() {
        PaymentResult unknownLater = result("p1", UNKNOWN, T0.plusSeconds(60));
        PaymentResult approved = result("p1", APPROVED, T0);

        assertThat(ResultPrecedence.wins(approved, unknownLater)).isTrue();
        assertThat(ResultPrecedence.wins(unknownLater, approved)).isFalse();
        assertThat(ResultPrecedence.wins(result("p1", FAILED, T0), unknownLater)).isTrue();
    }

    @Test
    void atEqualPrecedenceTheLaterCompletionWins() {
        PaymentResult older = result("p1", DECLINED, T0);
        PaymentResult newer = result("p1", APPROVED, T0.plusMillis(1));

        assertThat(ResultPrecedence.wins(newer, older)).isTrue();
        assertThat(ResultPrecedence.wins(older, newer)).isFalse();
    }

    @Test
    void identicalRedeliveryDoesNotWin() {
        PaymentResult r = result("p1", APPROVED, T0);
        assertThat(ResultPrecedence.wins(r, r)).isFalse();
    }

    @Test
    void comparesCompletionTimesAtMicrosecondPrecisionLikePostgres() {
        PaymentResult a = result("p1", APPROVED, T0.plusNanos(1_000_100));
        PaymentResult b = result("p1", APPROVED, T0.plusNanos(1_000_900));
        assertThat(ResultPrecedence.wins(b, a)).isFalse();
    }

    @Test
    void collapsesABatchToTheWinnerPerPaymentSortedById() {
        List<ResultRow> batch = List.of(
                new ResultRow(result("p2", UNKNOWN, T0), 0, 1),
                new ResultRow(result("p1", APPROVED, T0.plusSeconds(2)), 0, 2),
                new ResultRow(result("p2", DECLINED, T0.minusSeconds(10)), 0, 3),
                new ResultRow(result("p1", APPROVED, T0), 0, 4),
                new ResultRow(result("p2", UNKNOWN, T0.plusSeconds(30)), 0, 5));

        List<ResultRow> collapsed = ResultPrecedence.collapse(batch);

        assertThat(collapsed).extracting(ResultRow::paymentId).containsExactly("p1", "p2");
        assertThat(collapsed).extracting(ResultRow::sourceOffset).containsExactly(2L, 3L);
    }
}
