package dev.paypipe.model;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Currency;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
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
    /** The strict check's character set of {@code paymentMethod}: an opaque token, printable ASCII only. */
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_.:-]{1," + MAX_PAYMENT_METHOD_LENGTH + "}");
    private static final Pattern DIGIT_RUN = Pattern.compile("[0-9]{13,}");
    /**
     * ASCII digits with an optional fraction. {@link BigDecimal} alone would also take {@code +5},
     * {@code .5}, {@code 5.} and non-ASCII digits (Arabic-Indic, Devanagari, ...), which the schema does not allow.
     */
    private static final Pattern PLAIN_DECIMAL = Pattern.compile("[0-9]+(\\.[0-9]+)?");

    private PaymentRequestValidator() {
    }

    /** True when {@code id} is a well-formed paymentId: 1-64 characters of {@code [A-Za-z0-9._:-]}. */
    public static boolean isValidPaymentId(String id) {
        return id != null && PAYMENT_ID.matcher(id).matches();
    }

    /**
     * Validates raw field values. {@code structuralProblems} carries problems the decoder already
     * found (wrong JSON types, malformed document) and is included first.
     */
    public static RequestCheck check(String paymentId, String orderId, String amount, String currency,
            String customerId, String paymentMethod, String createdAt, Map<String, String> metadata,
            List<String> structuralProblems) {
        return validate(paymentId, orderId, amount, currency, customerId, paymentMethod, createdAt, metadata,
                structuralProblems, null, null);
    }

    /**
     * The ledger's door check: everything {@link #check} does, plus the record key (must be present and
     * equal {@code paymentId}), the character set of every text field, a raw card number where a token
     * belongs, and {@code createdAt} within the window of {@code rules}.
     *
     * @param key the record key decoded as UTF-8, or null when it was missing or not UTF-8
     * @param structuralProblems problems the decoder already found, including the key's own
     */
    public static RequestCheck checkStrict(String key, String paymentId, String orderId, String amount,
            String currency, String customerId, String paymentMethod, String createdAt, Map<String, String> metadata,
            List<String> structuralProblems, RequestRules rules) {
        return validate(paymentId, orderId, amount, currency, customerId, paymentMethod, createdAt, metadata,
                structuralProblems, key, java.util.Objects.requireNonNull(rules, "rules"));
    }

    /** {@code rules} null: the lenient check of {@link #check}; otherwise the strict one. */
    private static RequestCheck validate(String paymentId, String orderId, String amount, String currency,
            String customerId, String paymentMethod, String createdAt, Map<String, String> metadata,
            List<String> structuralProblems, String key, RequestRules rules) {
        boolean strict = rules != null;
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
        if (strict && key != null && paymentId != null && !key.equals(paymentId)) {
            problems.add("key: the record key must equal paymentId, was '" + printable(key) + "'");
        }
        requireText(problems, refused, "orderId", orderId, MAX_TEXT_LENGTH);
        requireText(problems, refused, "customerId", customerId, MAX_TEXT_LENGTH);
        if (strict) {
            requirePrintable(problems, "orderId", orderId);
            requirePrintable(problems, "customerId", customerId);
            checkToken(problems, refused, paymentMethod);
        } else {
            requireText(problems, refused, "paymentMethod", paymentMethod, MAX_PAYMENT_METHOD_LENGTH);
        }

        OptionalInt fractionDigits = OptionalInt.empty();
        if (currency == null) {
            addUnlessRefused(problems, refused, "currency", "currency: required");
        } else if (!CURRENCY.matcher(currency).matches()) {
            problems.add("currency: must be an upper-case ISO 4217 code, was '" + printable(currency) + "'");
        } else {
            fractionDigits = ActiveCurrencies.fractionDigits(currency);
            if (fractionDigits.isEmpty()) {
                problems.add(isKnownToJdk(currency)
                        ? "currency: '" + currency + "' is withdrawn or not a chargeable currency (fund, metal or "
                                + "test code); use an active ISO 4217 code"
                        : "currency: '" + currency + "' is not an ISO 4217 code");
            }
        }

        BigDecimal value = null;
        if (amount == null) {
            addUnlessRefused(problems, refused, "amount", "amount: required (a decimal string such as \"12.50\")");
        } else {
            value = parseAmount(problems, amount, currency, fractionDigits);
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
            String window = created == null || !strict ? null : rules.createdAtProblem(created);
            if (window != null) {
                problems.add(window);
                created = null;
            }
        }

        if (metadata != null) {
            checkMetadata(problems, metadata, strict);
        }
        if (!problems.isEmpty()) {
            return RequestCheck.invalid(paymentId, orderId, problems);
        }
        return RequestCheck.valid(new PaymentRequest(paymentId, orderId, value, currency, customerId,
                paymentMethod, created, metadata));
    }

    /** Only to tell a withdrawn code from a made-up one in the message; acceptance is {@link ActiveCurrencies}'. */
    private static boolean isKnownToJdk(String code) {
        try {
            Currency.getInstance(code);
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    private static BigDecimal parseAmount(List<String> problems, String amount, String currency,
            OptionalInt fractionDigits) {
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
            problems.add("amount: must be greater than zero, was " + printable(amount));
            return null;
        }
        if (!PLAIN_DECIMAL.matcher(amount).matches()) {
            problems.add("amount: must be ASCII digits with an optional '.' and fraction digits such as \"12.50\", was '"
                    + printable(amount) + "'");
            return null;
        }
        if (value.compareTo(MAX_AMOUNT) > 0) {
            problems.add("amount: must be at most " + MAX_AMOUNT.toPlainString() + ", was " + printable(amount));
            return null;
        }
        if (fractionDigits.isPresent()) {
            int allowed = fractionDigits.getAsInt();
            if (value.scale() > allowed) {
                problems.add("amount: " + currency + " allows " + allowed
                        + " fraction digits, was " + printable(amount));
                return null;
            }
        }
        return value;
    }

    private static void checkMetadata(List<String> problems, Map<String, String> metadata, boolean strict) {
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
            if (strict) {
                requirePrintable(problems, "metadata key '" + printable(e.getKey()) + "'", e.getKey());
                requirePrintable(problems, "metadata." + printable(e.getKey()), e.getValue());
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

    /**
     * Echoes bad input back in messages, cut short, with every character {@link #isUnprintable} replaced by
     * {@code ?} and any run of 13 or more digits (a card number, perhaps) masked.
     */
    public static String printable(String value) {
        String cut = value.length() > 40 ? value.substring(0, 40) + "..." : value;
        StringBuilder sb = new StringBuilder(cut.length());
        for (int i = 0; i < cut.length(); i++) {
            char c = cut.charAt(i);
            sb.append(isUnprintable(c) ? '?' : c);
        }
        return DIGIT_RUN.matcher(sb).replaceAll("****");
    }

    /**
     * The value with every character {@link #isUnprintable} replaced by {@code ?}, not cut short: what a REJECTED
     * result may carry of a refused request's own text (a NUL, for one, cannot be stored in PostgreSQL text), while
     * its problems name the exact character and index.
     */
    public static String withUnprintableReplaced(String value) {
        if (value == null) {
            return null;
        }
        StringBuilder sb = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            if (isUnprintable(cp)) {
                sb.append('?');
            } else {
                sb.appendCodePoint(cp);
            }
            i += Character.charCount(cp);
        }
        return sb.toString();
    }

    /**
     * Characters the strict check refuses in text fields: controls (Cc, including NUL and DEL), format
     * characters (Cf: bidirectional overrides and isolates, zero-width joiners, U+FEFF), lone surrogates (Cs),
     * private use (Co), unassigned code points (Cn), and line and paragraph separators (Zl, Zp).
     */
    static boolean isUnprintable(int codePoint) {
        return switch (Character.getType(codePoint)) {
            case Character.CONTROL, Character.FORMAT, Character.SURROGATE, Character.PRIVATE_USE, Character.UNASSIGNED,
                    Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
            default -> false;
        };
    }

    /** Refuses the characters of {@link #isUnprintable}, naming the first by code point (never echoing the value). */
    private static void requirePrintable(List<String> problems, String field, String value) {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); ) {
            int cp = value.codePointAt(i);
            // A paired surrogate forms a real code point; a lone one reports as SURROGATE.
            if (isUnprintable(cp)) {
                problems.add(field + ": must not contain control, format, bidirectional-override or unassigned "
                        + "characters, found U+" + String.format("%04X", cp) + " at index " + i);
                return;
            }
            i += Character.charCount(cp);
        }
    }

    /** The payment method is an opaque token; a raw card number there is refused and never echoed. */
    private static void checkToken(List<String> problems, Set<String> refused, String token) {
        if (token == null) {
            addUnlessRefused(problems, refused, "paymentMethod", "paymentMethod: required");
        } else if (looksLikeCardNumber(token)) {
            problems.add("paymentMethod: looks like a raw card number; send the token from your tokenization, "
                    + "never the card number (value not shown)");
        } else if (!TOKEN.matcher(token).matches()) {
            problems.add("paymentMethod: must be an opaque token of 1-" + MAX_PAYMENT_METHOD_LENGTH
                    + " characters of [A-Za-z0-9_.:-] (value not shown)");
        }
    }

    /** 13-19 digits, optionally grouped by spaces or dashes, that pass the Luhn check. */
    static boolean looksLikeCardNumber(String value) {
        int digits = 0;
        int sum = 0;
        for (int i = value.length() - 1; i >= 0; i--) {
            char c = value.charAt(i);
            if (c == ' ' || c == '-') {
                continue;
            }
            if (c < '0' || c > '9') {
                return false;
            }
            int d = c - '0';
            if (digits % 2 == 1) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            digits++;
        }
        return digits >= 13 && digits <= 19 && sum % 10 == 0;
    }
}
