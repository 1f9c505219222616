package dev.paypipe.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks the raw fields of a payment request against the contract in {@code docs/} and reports
 * every problem, not just the first. Each problem starts with the field name.
 */
public final class PaymentRequestValidator {
    public static final int MAX_ID_LENGTH = 64;
    public static final int MAX_TEXT_LENGTH = 128;
    public static final int MAX_PAYMENT_METHOD_LENGTH = 256;
    public static final int MAX_METADATA_ENTRIES = 50;
    public static final int MAX_METADATA_KEY_LENGTH = 40;
    public static final int MAX_METADATA_VALUE_LENGTH = 500;
    /** Larger than any real charge; guards the NUMERIC(20, 4) column and the gateway. */
    private static final BigDecimal MAX_AMOUNT = new BigDecimal("9999999999999999");
    private static final Pattern PAYMENT_ID = Pattern.compile("[A-Za-z0-9._:-]{1,64}");
    private static final Pattern CURRENCY = Pattern.compile("[A-Z]{3}");
    /**
     * ASCII digits with an optional fraction. {@link BigDecimal} alone would also take {@code +5},
     * {@code .5}, {@code 5.} and non-ASCII digits (Arabic-Indic, Devanagari, ...), which the schema does not allow.
     */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private PaymentRequestValidator() {
    }

    /**
     * Validates raw field values. {@code structuralProblems} carries problems the decoder already
     * found (wrong JSON types, malformed document) and is included first.
     */
    public static RequestCheck check(String paymentId, String orderId, String amount, String currency,
            String customerId, String paymentMethod, String createdAt, Map<String, String> metadata,
            List<String> structuralProblems) {
        List<String> problems = new ArrayList<>(structuralProblems);
        // A field the decoder already refused (wrong JSON type) is null here; don't also call it missing.
        Set<String> refused = new HashSet<>();
        for (String p : structuralProblems) {
            int colon = p.indexOf(':');
            if (colon > 0) {
                refused.add(p.substring(0, colon));
            }
        }
        if (paymentId == null) {
            addUnlessRefused(problems, refused, "paymentId", "paymentId: required");
        } else if (!PAYMENT_ID.matcher(paymentId).matches()) {
            problems.add("paymentId: must be 1-64 characters of [A-Za-z0-9._:-]");
        }
        requireText(problems, refused, "orderId", orderId, MAX_TEXT_LENGTH);
        requireText(problems, refused, "customerId", customerId, MAX_TEXT_LENGTH);
        requireText(problems, refused, "paymentMethod", paymentMethod, MAX_PAYMENT_METHOD_LENGTH);

        Currency iso = null;
        if (currency == null) {
            addUnlessRefused(problems, refused, "currency", "currency: required");
        } else if (!CURRENCY.matcher(currency).matches()) {
            problems.add("currency: must be an upper-case ISO 4217 code, was '" + printable(currency) + "'");
        } else {
            try {
                iso = Currency.getInstance(currency);
            } catch (IllegalArgumentException e) {
                problems.add("currency: '" + currency + "' is not an ISO 4217 code");
            }
        }

        BigDecimal value = null;
        if (amount == null) {
            addUnlessRefused(problems, refused, "amount", "amount: required (a decimal string such as \"12.50\")");
        } else {
            value = parseAmount(problems, amount, iso);
        }

        Instant created = null;
        if (createdAt == null) {
            addUnlessRefused(problems, refused, "createdAt", "createdAt: required (ISO-8601 instant)");
        } else {
            try {
                created = Instants.parse(createdAt);
            } catch (DateTimeParseException e) {
                problems.add("createdAt: must be an ISO-8601 instant such as 2026-01-31T12:00:00Z, was '"
                        + printable(createdAt) + "'");
            }
        }

        if (metadata != null) {
            checkMetadata(problems, metadata);
        }
        if (!problems.isEmpty()) {
            return RequestCheck.invalid(paymentId, orderId, problems);
        }
        return RequestCheck.valid(new PaymentRequest(paymentId, orderId, value, currency, customerId,
                paymentMethod, created, metadata));
    }

    private static BigDecimal parseAmount(List<String> problems, String amount, Currency iso) {
        BigDecimal value;
        try {
            value = new BigDecimal(amount);
        } catch (NumberFormatException e) {
            problems.add("amount: must be a decimal string such as \"12.50\", was '" + printable(amount) + "'");
            return null;
        }
        if (amount.indexOf('e') >= 0 || amount.indexOf('E') >= 0) {
            problems.add("amount: exponent notation is not allowed, was '" + printable(amount) + "'");
            return null;
        }
        if (value.signum() <= 0) {
            problems.add("amount: must be greater than zero, was " + amount);
            return null;
        }
        if (!PLAIN_DECIMAL.matcher(amount).matches()) {
            problems.add("amount: must be ASCII digits with an optional '.' and fraction digits such as \"12.50\", was '"
                    + printable(amount) + "'");
            return null;
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            problems.add("amount: must be at most " + MAX_AMOUNT.toPlainString() + ", was " + amount);
            return null;
        }
        if (iso != null) {
            int allowed = Math.max(iso.getDefaultFractionDigits(), 0);
            if (value.scale() > allowed) {
                problems.add("amount: " + iso.getCurrencyCode() + " allows " + allowed
                        + " fraction digits, was " + amount);
                return null;
            }
        }
        return value;
    }

    private static void checkMetadata(List<String> problems, Map<String, String> metadata) {
        if (metadata.size() > MAX_METADATA_ENTRIES) {
            problems.add("metadata: at most " + MAX_METADATA_ENTRIES + " entries, was " + metadata.size());
            return;
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().isEmpty() || e.getKey().length() > MAX_METADATA_KEY_LENGTH) {
                problems.add("metadata: keys must be 1-" + MAX_METADATA_KEY_LENGTH + " characters, was '"
                        + printable(e.getKey()) + "'");
            }
            if (e.getValue() == null || e.getValue().length() > MAX_METADATA_VALUE_LENGTH) {
                problems.add("metadata." + printable(e.getKey()) + ": value must be a string of at most "
                        + MAX_METADATA_VALUE_LENGTH + " characters");
            }
        }
    }

    private static void addUnlessRefused(List<String> problems, Set<String> refused, String field, String problem) {
        if (!refused.contains(field)) {
            problems.add(problem);
        }
    }

    private static void requireText(List<String> problems, Set<String> refused, String field, String value,
            int maxLength) {
        if (value == null) {
            addUnlessRefused(problems, refused, field, field + ": required");
        } else if (value.isBlank()) {
            problems.add(field + ": must not be blank");
        } else if (value.length() > maxLength) {
            problems.add(field + ": at most " + maxLength + " characters, was " + value.length());
        }
    }

    /** Echoes bad input back in messages, cut short and without control characters. */
    private static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(Character.isISOControl(c) ? '?' : c);
        }
        return sb.toString();
    }
}
