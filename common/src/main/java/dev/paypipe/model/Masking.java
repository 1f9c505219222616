package dev.paypipe.model;

/** Renders secrets and card tokens for logs: enough to correlate, never enough to use. */
public final class Masking {
    private Masking() {
    }

    /** {@code tok_visa_4242424242} becomes {@code ****4242}; short values are fully masked. */
    public static String token(String value) {
        if (value == null) {
            return "null";
        }
        if (value.length() <= 8) {
            return "****";
        }
        return "****" + value.substring(value.length() - 4);
    }

    /** Secrets (API keys, passwords) are never shown, only whether they are set. */
    public static String secret(String value) {
        return value == null || value.isEmpty() ? "<unset>" : "<set>";
    }
}
