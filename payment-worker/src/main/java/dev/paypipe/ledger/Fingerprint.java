package dev.paypipe.ledger;

import dev.paypipe.model.PaymentRequest;
import java.nio.charset.StandardCharsets;

/**
 * What a request asks for, per field, as 64-bit hashes: amount (numerically, so {@code 12.5} and {@code 12.50}
 * agree), currency, customer, payment method and order. Two copies of one paymentId with the same fingerprint are
 * duplicates; any difference is an idempotency conflict, and the differing fields can be named without the ledger
 * storing the token. A hash collision can only make a conflicting copy look like a duplicate: it is dropped either
 * way, never charged.
 */
public record Fingerprint(long amount, long currency, long customerId, long paymentMethod, long orderId) {

    public static Fingerprint of(PaymentRequest r) {
        return new Fingerprint(hash(r.amount().stripTrailingZeros().toPlainString() + "/" + r.currency()),
                hash(r.currency()), hash(r.customerId()), hash(r.paymentMethod()), hash(r.orderId()));
    }

    /** The fields in which {@code other} differs from this one, e.g. {@code "amount, orderId"}. */
    public String differences(Fingerprint other) {
        StringBuilder sb = new StringBuilder();
        append(sb, amount != other.amount, "amount");
        append(sb, currency != other.currency, "currency");
        append(sb, customerId != other.customerId, "customerId");
        append(sb, paymentMethod != other.paymentMethod, "paymentMethod");
        append(sb, orderId != other.orderId, "orderId");
        return sb.toString();
    }

    private static void append(StringBuilder sb, boolean differs, String field) {
        if (differs) {
            sb.append(sb.length() == 0 ? "" : ", ").append(field);
        }
    }

    /** FNV-1a over the UTF-8 bytes, then a murmur3 finaliser to spread the bits. */
    static long hash(String s) {
        long h = 0xcbf29ce484222325L;
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            h ^= b & 0xFF;
            h *= 0x100000001b3L;
        }
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        return h ^ (h >>> 33);
    }
}
