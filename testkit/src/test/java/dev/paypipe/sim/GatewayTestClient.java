package dev.paypipe.sim;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A plain JDK HTTP client speaking the gateway contract to a {@link GatewaySimulator}, over real sockets. */
final class GatewayTestClient {
    static final String API_KEY = SimulatorConfig.DEFAULT_API_KEY;

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final URI base;

    GatewayTestClient(GatewaySimulator gateway) {
        this.base = gateway.baseUri();
    }

    static String body(String paymentId) {
        return body(paymentId, "12.50", "tok_visa_4242424242");
    }

    static String body(String paymentId, String amount, String paymentMethod) {
        return "{\"paymentId\":\"" + paymentId + "\",\"amount\":\"" + amount + "\",\"currency\":\"EUR\","
                + "\"customerId\":\"cus_1\",\"paymentMethod\":\"" + paymentMethod + "\"}";
    }

    HttpResponse<String> charge(String paymentId) {
        return send(chargeRequest(paymentId, body(paymentId), "Bearer " + API_KEY, Duration.ofSeconds(10)));
    }

    CompletableFuture<HttpResponse<String>> chargeAsync(String paymentId) {
        return http.sendAsync(chargeRequest(paymentId, body(paymentId), "Bearer " + API_KEY, Duration.ofSeconds(10)),
                HttpResponse.BodyHandlers.ofString());
    }

    HttpRequest chargeRequest(String idempotencyKey, String body, String authorization, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve("/v1/charges"))
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        if (idempotencyKey != null) {
            b.header("Idempotency-Key", idempotencyKey);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b.build();
    }

    HttpResponse<String> lookup(String idempotencyKey) {
        return send(lookupRequest(idempotencyKey));
    }

    CompletableFuture<HttpResponse<String>> lookupAsync(String idempotencyKey) {
        return http.sendAsync(lookupRequest(idempotencyKey), HttpResponse.BodyHandlers.ofString());
    }

    private HttpRequest lookupRequest(String idempotencyKey) {
        return HttpRequest.newBuilder(base.resolve("/v1/charges?idempotencyKey="
                        + URLEncoder.encode(idempotencyKey, StandardCharsets.UTF_8)))
                .header("Authorization", "Bearer " + API_KEY)
                .timeout(Duration.ofSeconds(10))
                .GET()
                .build();
    }

    HttpResponse<String> send(HttpRequest request) {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Sends; a transport error or the client's own timeout is the caller's to handle. */
    HttpResponse<String> sendChecked(HttpRequest request) throws IOException {
        try {
            return http.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Looks the key up until the gateway answers something other than a look-up fault (500, 504). */
    HttpResponse<String> lookupUntilAnswered(String idempotencyKey) {
        for (int i = 0; i < 50; i++) {
            HttpResponse<String> r = lookup(idempotencyKey);
            if (r.statusCode() != 500 && r.statusCode() != 504) {
                return r;
            }
        }
        throw new AssertionError("look-ups of " + idempotencyKey + " failed 50 times in a row");
    }

    /** Sends and returns the exception the client raised (e.g. its own timeout), or fails if none. */
    Throwable sendExpectingFailure(HttpRequest request) {
        try {
            HttpResponse<String> r = http.send(request, HttpResponse.BodyHandlers.ofString());
            throw new AssertionError("expected the request to fail, got " + r.statusCode() + " " + r.body());
        } catch (IOException e) {
            return e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
