package dev.paypipe.load;

import dev.paypipe.model.PaymentRequest;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

/** Realistic, valid payment requests with predictable ids ({@code prefix-000042}). */
public final class PaymentFactory {
    private static final String[] CURRENCIES = {"EUR", "USD", "GBP", "JPY"};
    private final String prefix;

    public PaymentFactory(String prefix) {
        this.prefix = prefix;
    }

    public String paymentId(int i) {
        return prefix + "-" + String.format("%06d", i);
    }

    /** The index back from a payment id of this factory's, or -1. */
    public int index(String paymentId) {
        if (paymentId == null || !paymentId.startsWith(prefix + "-")) {
            return -1;
        }
        try {
            return Integer.parseInt(paymentId, prefix.length() + 1, paymentId.length(), 10);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    public PaymentRequest request(int i) {
        String currency = CURRENCIES[i % CURRENCIES.length];
        BigDecimal amount = "JPY".equals(currency)
                ? BigDecimal.valueOf(100 + (i % 5000))
                : BigDecimal.valueOf(100 + (i % 90_000), 2);
        return new PaymentRequest(paymentId(i), "order-" + i, amount, currency, "cust-" + (i % 997),
                "tok_test_" + Integer.toHexString(i * 31 + 7) + "4242", Instant.now(), Map.of("channel", "web"));
    }
}
