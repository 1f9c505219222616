package dev.paypipe.gateway;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

/**
 * The one place where gateway answers and transport failures become {@link GatewayOutcome}s.
 *
 * <p>The rule that protects money: a failure is {@link GatewayOutcome.Retryable} only when the
 * request certainly never reached the gateway's ledger; anything that may have been processed is
 * {@link GatewayOutcome.Ambiguous}.
 */
public final class FailureClassifier {
    private FailureClassifier() {
    }

    /** Classifies an HTTP answer to {@code POST /v1/charges} that was not 200 or 402. */
    public static GatewayOutcome classifyStatus(int status, Duration retryAfter, String detail) {
        if (status == 409) {
            return new GatewayOutcome.InProgress(retryAfter);
        }
        if (status == 429 || status == 503) {
            return new GatewayOutcome.Retryable("http_" + status, detail, retryAfter);
        }
        if (status >= 500) {
            return new GatewayOutcome.Ambiguous("http_" + status, detail);
        }
        if (status >= 400) {
            return new GatewayOutcome.Rejected(status, detail);
        }
        // 1xx/3xx/unexpected 2xx: we cannot tell what happened.
        return new GatewayOutcome.Ambiguous("http_" + status, "unexpected status " + status);
    }

    /** Classifies a transport failure of a charge call. */
    public static GatewayOutcome classifyFailure(Throwable failure) {
        Throwable t = unwrap(failure);
        if (t instanceof ConnectException || t instanceof HttpHostConnectException
                || t instanceof ConnectTimeoutException || t instanceof UnknownHostException
                || t instanceof NoRouteToHostException || t instanceof SSLHandshakeException) {
            return new GatewayOutcome.Retryable("connect_failed", t.toString(), null);
        }
        if (t instanceof DeadlineTimeoutException) {
            // Timed out waiting for a pooled connection: the request never left this process.
            return new GatewayOutcome.Retryable("pool_timeout", t.toString(), null);
        }
        if (t instanceof CancellationException) {
            return new GatewayOutcome.Ambiguous("cancelled", "request cancelled");
        }
        if (t instanceof InterruptedIOException || t instanceof TimeoutException) {
            return new GatewayOutcome.Ambiguous("timeout", t.toString());
        }
        return new GatewayOutcome.Ambiguous("io_error", t.toString());
    }

    /** Whether an outcome counts as a gateway failure for the circuit breaker. */
    public static boolean isBreakerFailure(GatewayOutcome outcome) {
        return outcome instanceof GatewayOutcome.Retryable || outcome instanceof GatewayOutcome.Ambiguous;
    }

    /** Parses a {@code Retry-After} header in seconds; HTTP dates and junk are ignored (null). */
    public static Duration parseRetryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(Math.min(seconds, 3600));
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Throwable unwrap(Throwable t) {
        Throwable current = t;
        while ((current instanceof java.util.concurrent.CompletionException
                || current instanceof java.util.concurrent.ExecutionException) && current.getCause() != null) {
            current = current.getCause();
        }
        return current;
    }
}
