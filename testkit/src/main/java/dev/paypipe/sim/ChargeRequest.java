package dev.paypipe.sim;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.paypipe.model.Masking;
import java.io.IOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/** The body of {@code POST /v1/charges}, read with Jackson's streaming parser (no object mapping). */
record ChargeRequest(String paymentId, String amount, String currency, String customerId, String paymentMethod) {

    private static final JsonFactory JSON = JsonFactory.builder().build();

    /** Parses and checks a body; {@link InvalidCharge} carries the status (400 or 422) and the reason. */
    static ChargeRequest parse(byte[] body, String idempotencyKey) throws InvalidCharge {
        if (body == null || body.length == 0) {
            throw new InvalidCharge(400, "request body is empty");
        }
        String paymentId = null;
        String amount = null;
        String currency = null;
        String customerId = null;
        String paymentMethod = null;
        try (JsonParser p = JSON.createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new InvalidCharge(400, "request body must be a JSON object");
            }
            JsonToken token;
            while ((token = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                switch (field) {
                    case "paymentId" -> paymentId = scalar(p, value, field);
                    case "amount" -> amount = scalar(p, value, field);
                    case "currency" -> currency = scalar(p, value, field);
                    case "customerId" -> customerId = scalar(p, value, field);
                    case "paymentMethod" -> paymentMethod = scalar(p, value, field);
                    default -> p.skipChildren();
                }
            }
            if (token != JsonToken.END_OBJECT || p.nextToken() != null) {
                throw new InvalidCharge(400, "malformed JSON body");
            }
        } catch (IOException e) {
            // Jackson's message quotes the input; keep only the location so no token leaks into responses.
            throw new InvalidCharge(400, "malformed JSON body at " + locationOf(e));
        }
        List<String> missing = new ArrayList<>(0);
        addIfBlank(missing, "paymentId", paymentId);
        addIfBlank(missing, "amount", amount);
        addIfBlank(missing, "currency", currency);
        addIfBlank(missing, "customerId", customerId);
        addIfBlank(missing, "paymentMethod", paymentMethod);
        if (!missing.isEmpty()) {
            throw new InvalidCharge(400, "missing field(s): " + String.join(", ", missing));
        }
        if (!paymentId.equals(idempotencyKey)) {
            throw new InvalidCharge(400, "paymentId does not match the Idempotency-Key header");
        }
        if (!isPositiveDecimal(amount)) {
            throw new InvalidCharge(422, "amount must be a positive decimal, got '" + amount + "'");
        }
        if (!isCurrencyCode(currency)) {
            throw new InvalidCharge(422, "currency must be an ISO 4217 code (3 upper-case letters), got '"
                    + (currency.length() > 8 ? currency.substring(0, 8) + "..." : currency) + "'");
        }
        return new ChargeRequest(paymentId, amount, currency, customerId, paymentMethod);
    }

    @Override
    public String toString() {
        return "ChargeRequest[paymentId=" + paymentId + ", amount=" + amount + ", currency=" + currency
                + ", customerId=" + customerId + ", paymentMethod=" + Masking.token(paymentMethod) + "]";
    }

    private static String scalar(JsonParser p, JsonToken value, String field) throws IOException {
        if (value == JsonToken.VALUE_NULL) {
            return null;
        }
        if (!value.isScalarValue()) {
            throw new InvalidCharge(400, field + " must be a string");
        }
        return p.getText();
    }

    private static String locationOf(IOException e) {
        if (e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe && jpe.getLocation() != null) {
            return "line " + jpe.getLocation().getLineNr() + ", column " + jpe.getLocation().getColumnNr();
        }
        return "unknown position";
    }

    private static void addIfBlank(List<String> missing, String field, String value) {
        if (value == null || value.isBlank()) {
            missing.add(field);
        }
    }

    private static boolean isPositiveDecimal(String amount) {
        if (amount.length() > 32) {
            return false;
        }
        try {
            return new BigDecimal(amount).signum() > 0;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static boolean isCurrencyCode(String currency) {
        if (currency.length() != 3) {
            return false;
        }
        for (int i = 0; i < 3; i++) {
            char c = currency.charAt(i);
            if (c < 'A' || c > 'Z') {
                return false;
            }
        }
        return true;
    }

    /** A request the gateway refuses to process; unchecked so it can cross the parser's IOException paths. */
    static final class InvalidCharge extends RuntimeException {
        private final int status;

        InvalidCharge(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        int status() {
            return status;
        }
    }
}
