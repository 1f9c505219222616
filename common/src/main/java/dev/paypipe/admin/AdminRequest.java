package dev.paypipe.admin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import java.io.IOException;
import java.io.InputStream;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Parameters of an admin command: query string first, then the body as a form, a JSON object, or
 * (for {@code reason} only) plain text. Bodies are capped at {@value #MAX_BODY} bytes.
 */
final class AdminRequest {
    static final int MAX_BODY = 4096;
    private static final ObjectMapper JSON = new ObjectMapper();
    private final Map<String, String> params;

    private AdminRequest(Map<String, String> params) {
        this.params = params;
    }

    static AdminRequest read(HttpExchange ex) throws IOException {
        Map<String, String> params = new HashMap<>();
        String body;
        try (InputStream in = ex.getRequestBody()) {
            body = new String(in.readNBytes(MAX_BODY), StandardCharsets.UTF_8).trim();
        }
        String contentType = String.valueOf(ex.getRequestHeaders().getFirst("Content-Type"));
        if (!body.isEmpty()) {
            if (contentType.startsWith("application/json") || body.startsWith("{")) {
                JsonNode node = JSON.readTree(body);
                if (node != null && node.isObject()) {
                    node.fields().forEachRemaining(e -> params.put(e.getKey(), e.getValue().asText()));
                }
            } else if (contentType.startsWith("application/x-www-form-urlencoded")) {
                params.putAll(form(body));
            } else {
                params.put("reason", body);
            }
        }
        params.putAll(form(ex.getRequestURI().getRawQuery()));
        return new AdminRequest(params);
    }

    Optional<String> param(String name) {
        return Optional.ofNullable(params.get(name)).filter(v -> !v.isBlank());
    }

    private static Map<String, String> form(String encoded) {
        Map<String, String> out = new HashMap<>();
        if (encoded == null || encoded.isEmpty()) {
            return out;
        }
        for (String pair : encoded.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            out.put(key, value);
        }
        return out;
    }
}
