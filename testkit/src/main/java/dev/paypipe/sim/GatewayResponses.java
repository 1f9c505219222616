package dev.paypipe.sim;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** The JSON bodies of the gateway contract, pre-encoded where constant. */
final class GatewayResponses {
    static final byte[] IN_PROGRESS = utf8("{\"status\":\"in_progress\"}");
    static final byte[] NOT_FOUND = utf8("{\"status\":\"not_found\"}");
    static final byte[] UNAUTHORIZED =
            utf8("{\"status\":\"unauthorized\",\"error\":\"missing or invalid bearer token\"}");
    static final byte[] RATE_LIMITED = utf8("{\"status\":\"rate_limited\",\"error\":\"too many requests\"}");
    static final byte[] UNAVAILABLE =
            utf8("{\"status\":\"unavailable\",\"error\":\"gateway temporarily unavailable\"}");
    static final byte[] OUTAGE = utf8("{\"status\":\"unavailable\",\"error\":\"gateway outage\"}");
    static final byte[] SERVER_ERROR = utf8("{\"status\":\"error\",\"error\":\"internal gateway error\"}");
    static final byte[] GATEWAY_TIMEOUT = utf8("{\"status\":\"timeout\",\"error\":\"gateway timed out\"}");
    static final byte[] NO_ROUTE = utf8("{\"status\":\"not_found\",\"error\":\"no such endpoint\"}");
    static final byte[] METHOD_NOT_ALLOWED =
            utf8("{\"status\":\"invalid\",\"error\":\"method not allowed on /v1/charges\"}");

    /** What a misconfigured proxy in front of a gateway sends with a {@code 200}. */
    static final byte[] GARBAGE = utf8("<html><body><h1>Service Temporarily Overloaded</h1></body></html>");

    private GatewayResponses() {
    }

    /**
     * A {@code 200} body a client cannot settle a charge from: variant 0 lacks {@code id}, 1 lacks
     * {@code status}, 2 is the real body cut in the middle.
     */
    static byte[] incomplete(StoredCharge charge, int variant) {
        return switch (variant) {
            case 0 -> utf8("{\"status\":\"" + charge.status().wireName() + "\"}");
            case 1 -> utf8("{\"id\":\"" + charge.id() + "\"}");
            default -> {
                byte[] full = charge(charge);
                yield Arrays.copyOf(full, full.length / 2);
            }
        };
    }

    /** {@code {"id":…,"status":"succeeded"}} or {@code {"id":…,"status":"declined","declineCode":…}}. */
    static byte[] charge(StoredCharge charge) {
        StringBuilder json = new StringBuilder(96).append("{\"id\":\"").append(charge.id())
                .append("\",\"status\":\"").append(charge.status().wireName()).append('"');
        if (charge.declineCode() != null) {
            json.append(",\"declineCode\":\"").append(charge.declineCode()).append('"');
        }
        return utf8(json.append('}').toString());
    }

    static byte[] invalid(String error) {
        StringBuilder json = new StringBuilder(64 + error.length()).append("{\"status\":\"invalid\",\"error\":\"");
        JsonStringEncoder.getInstance().quoteAsString(error, json);
        return utf8(json.append("\"}").toString());
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
