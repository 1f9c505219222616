package dev.paypipe.persistence;

import dev.paypipe.model.PaymentResult;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which of two results for one payment is kept. The same rule runs in Java (collapsing a poll batch)
 * and in SQL (the upsert's {@code ON CONFLICT ... WHERE}), so the outcome does not depend on whether
 * two results met inside one batch or across batches:
 * <ol>
 *   <li>higher {@link dev.paypipe.model.PaymentStatus#precedence()} wins (a settled status replaces
 *       {@code UNKNOWN}, never the other way round);</li>
 *   <li>at equal precedence the later {@code completedAt} wins (compared in microseconds, the
 *       precision PostgreSQL stores);</li>
 *   <li>otherwise the result already held stays: an identical re-delivery changes nothing.</li>
 * </ol>
 */
public final class ResultPrecedence {
    private ResultPrecedence() {
    }

    /** True when {@code candidate} must replace {@code current}. */
    public static boolean wins(PaymentResult candidate, PaymentResult current) {
        return candidate.supersedes(current);
    }

    /**
     * One row per payment id, the winner of each group, in one fixed order (by the id's hash, then by the
     * id) so that concurrent transactions lock rows in the same order. The order is that of a primitive
     * sort of {@code hash << 32 | index}: a string-comparing sort was a fifth of a batch's CPU.
     */
    public static List<ResultRow> collapse(List<ResultRow> rows) {
        int n = rows.size();
        long[] keys = new long[n];
        for (int i = 0; i < n; i++) {
            keys[i] = (long) rows.get(i).paymentId().hashCode() << 32 | i;
        }
        Arrays.sort(keys); // equal hashes keep batch order: the index is the low half
        List<ResultRow> collapsed = new ArrayList<>(n);
        int i = 0;
        while (i < n) {
            int j = i + 1;
            while (j < n && keys[j] >>> 32 == keys[i] >>> 32) {
                j++;
            }
            if (j == i + 1) {
                collapsed.add(rows.get((int) keys[i]));
            } else {
                collapsed.addAll(winnersOfSameHash(rows, keys, i, j));
            }
            i = j;
        }
        return collapsed;
    }

    /** The winner per id among rows whose ids share one hash (duplicates, or a rare collision), by id. */
    private static List<ResultRow> winnersOfSameHash(List<ResultRow> rows, long[] keys, int from, int to) {
        Map<String, ResultRow> winners = new TreeMap<>();
        for (int k = from; k < to; k++) {
            ResultRow row = rows.get((int) keys[k]);
            winners.merge(row.paymentId(), row,
                    (held, candidate) -> wins(candidate.result(), held.result()) ? candidate : held);
        }
        return new ArrayList<>(winners.values());
    }

    static Instant micros(Instant instant) {
        return instant == null ? null : instant.truncatedTo(ChronoUnit.MICROS);
    }
}
