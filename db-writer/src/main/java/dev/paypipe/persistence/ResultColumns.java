package dev.paypipe.persistence;

import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

/**
 * The written columns of {@code payment_results} in one order, their SQL, and the COPY text
 * encoding of a row. {@code updated_at} is always the database's {@code now()}.
 */
public final class ResultColumns {
    public static final String TABLE = "payment_results";
    public static final String STAGING = "payment_results_staging";

    public static final List<String> NAMES = List.of("payment_id", "order_id", "amount", "currency", "status",
            "status_precedence", "gateway_reference", "decline_code", "error_class", "reason", "attempts",
            "requested_at", "completed_at", "source_partition", "source_offset");

    public static final String LIST = String.join(", ", NAMES);

    /** The precedence rule of {@link ResultPrecedence} as the upsert's conflict clause. */
    public static final String ON_CONFLICT = " ON CONFLICT (payment_id) DO UPDATE SET "
            + String.join(", ", NAMES.subList(1, NAMES.size()).stream().map(c -> c + " = EXCLUDED." + c).toList())
            + ", updated_at = EXCLUDED.updated_at"
            + " WHERE EXCLUDED.status_precedence > " + TABLE + ".status_precedence"
            + " OR (EXCLUDED.status_precedence = " + TABLE + ".status_precedence"
            + " AND EXCLUDED.completed_at > " + TABLE + ".completed_at)";

    private ResultColumns() {
    }

    /** Column values as text (null stays null), in {@link #NAMES} order. */
    static String[] values(ResultRow row) {
        PaymentResult r = row.result();
        return new String[] {
            r.paymentId(),
            r.orderId(),
            r.amount() == null ? null : r.amount().toPlainString(),
            r.currency(),
            r.status().name(),
            Integer.toString(r.status().precedence()),
            r.gatewayReference(),
            r.declineCode(),
            r.errorClass(),
            r.reason(),
            Integer.toString(r.attempts()),
            instant(r.requestedAt()),
            instant(r.completedAt()),
            Integer.toString(row.sourcePartition()),
            Long.toString(row.sourceOffset())
        };
    }

    static String instant(Instant instant) {
        return instant == null ? null : ResultPrecedence.micros(instant).toString();
    }

    /** PostgreSQL COPY text format: tab-separated, {@code \\N} for null, backslash escapes. */
    public static byte[] copyText(List<ResultRow> rows) {
        CopyText out = new CopyText(rows.size() * 220);
        for (ResultRow row : rows) {
            appendCopyLine(out, row);
        }
        return out.toByteArray();
    }

    /** As {@link #copyText} into this thread's reusable buffer: valid until the thread's next encoding. */
    static CopyText copyTextOfThisThread(List<ResultRow> rows) {
        CopyText out = CopyText.forThisThread();
        for (ResultRow row : rows) {
            appendCopyLine(out, row);
        }
        return out;
    }

    /** One row in {@link #NAMES} order; must agree with {@link #values(ResultRow)}. */
    static void appendCopyLine(CopyText out, ResultRow row) {
        PaymentResult r = row.result();
        out.text(r.paymentId()).tab()
                .text(r.orderId()).tab()
                .decimal(r.amount()).tab()
                .text(r.currency()).tab()
                .ascii(STATUS_NAMES[r.status().ordinal()]).tab()
                .number(r.status().precedence()).tab()
                .text(r.gatewayReference()).tab()
                .text(r.declineCode()).tab()
                .text(r.errorClass()).tab()
                .text(r.reason()).tab()
                .number(r.attempts()).tab()
                .timestamp(r.requestedAt()).tab()
                .timestamp(r.completedAt()).tab()
                .number(row.sourcePartition()).tab()
                .number(row.sourceOffset()).endRow();
    }

    /** Each status's name as COPY bytes, by ordinal: the names are plain ASCII. */
    private static final byte[][] STATUS_NAMES = Arrays.stream(PaymentStatus.values())
            .map(s -> s.name().getBytes(StandardCharsets.US_ASCII)).toArray(byte[][]::new);
}
