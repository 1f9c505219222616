package dev.paypipe.persistence;

import static dev.paypipe.model.PaymentStatus.APPROVED;
import static dev.paypipe.model.PaymentStatus.DECLINED;
import static dev.paypipe.model.PaymentStatus.FAILED;
import static dev.paypipe.model.PaymentStatus.UNKNOWN;
import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.model.PaymentResult;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
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
    void collapsesABatchToTheWinnerPerPayment() {
        List<ResultRow> batch = List.of(
                new ResultRow(result("p2", UNKNOWN, T0), 0, 1),
                new ResultRow(result("p1", APPROVED, T0.plusSeconds(2)), 0, 2),
                new ResultRow(result("p2", DECLINED, T0.minusSeconds(10)), 0, 3),
                new ResultRow(result("p1", APPROVED, T0), 0, 4),
                new ResultRow(result("p2", UNKNOWN, T0.plusSeconds(30)), 0, 5));

        List<ResultRow> collapsed = ResultPrecedence.collapse(batch);

        assertThat(collapsed).extracting(ResultRow::paymentId).containsExactlyInAnyOrder("p1", "p2");
        assertThat(collapsed).extracting(ResultRow::sourceOffset).containsExactlyInAnyOrder(2L, 3L);
    }

    @Test
    void identicalResultsInOneBatchKeepTheFirstDelivered() {
        List<ResultRow> batch = List.of(
                new ResultRow(result("p1", APPROVED, T0), 0, 7),
                new ResultRow(result("p1", APPROVED, T0), 0, 8),
                new ResultRow(result("p1", APPROVED, T0), 1, 2));

        assertThat(ResultPrecedence.collapse(batch)).extracting(ResultRow::sourceOffset).containsExactly(7L);
    }

    @Test
    void idsSharingAHashAreStillCollapsedApartAndOrderedById() {
        // "Aa" and "BB" have the same String.hashCode
        assertThat("Aa".hashCode()).isEqualTo("BB".hashCode());
        List<ResultRow> batch = List.of(
                new ResultRow(result("BB", UNKNOWN, T0), 0, 1),
                new ResultRow(result("Aa", DECLINED, T0), 0, 2),
                new ResultRow(result("BB", APPROVED, T0), 0, 3),
                new ResultRow(result("Aa", UNKNOWN, T0.plusSeconds(5)), 0, 4));

        List<ResultRow> collapsed = ResultPrecedence.collapse(batch);

        assertThat(collapsed).extracting(ResultRow::paymentId).containsExactly("Aa", "BB");
        assertThat(collapsed).extracting(ResultRow::sourceOffset).containsExactly(2L, 3L);
    }

    @Test
    void everyBatchOfTheSamePaymentsIsWrittenInOneOrderSoConcurrentTransactionsLockAlike() {
        List<ResultRow> batch = new ArrayList<>();
        for (int i = 0; i < 2_000; i++) {
            batch.add(new ResultRow(result("pay-" + i, APPROVED, T0.plusMillis(i)), 0, i));
        }
        batch.add(new ResultRow(result("Aa", APPROVED, T0), 0, 5_000));
        batch.add(new ResultRow(result("BB", APPROVED, T0), 0, 5_001));
        List<String> first = ResultPrecedence.collapse(batch).stream().map(ResultRow::paymentId).toList();

        for (long seed = 1; seed <= 5; seed++) {
            List<ResultRow> shuffled = new ArrayList<>(batch);
            Collections.shuffle(shuffled, new Random(seed));
            assertThat(ResultPrecedence.collapse(shuffled)).extracting(ResultRow::paymentId)
                    .containsExactlyElementsOf(first);
        }
        assertThat(first).hasSize(2_002).doesNotHaveDuplicates();
    }
}
