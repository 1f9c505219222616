package dev.paypipe.gateway;

import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.util.DeadlineTimeoutException;

/**
 * The one place where gateway answers and transport failures become {@link GatewayOutcome}s and
 * {@link ChargeLookup}s, and where it is decided how each counts for the circuit breaker.
 *
 * <p>The rule that protects money: a failure is {@link GatewayOutcome.Retryable} only when the
 * request certainly never reached the gateway's ledger; anything that may have been processed is
 * {@link GatewayOutcome.Ambiguous}.
 */
public final class FailureClassifier {
    /** Error class of a call cut off by its total deadline ({@code gateway.response-timeout}). */
    public static final String DEADLINE_EXCEEDED = "deadline_exceeded";

    private FailureClassifier() {
    }

    /** The fields of a charge body that matter; any may be null (absent, not a string, unparseable). */
    public record ChargeBody(String id, String status, String declineCode) {
        public static final ChargeBody EMPTY = new ChargeBody(null, null, null);
    }

    /** Classifies any HTTP answer to {@code POST /v1/charges}. */
    public static GatewayOutcome classifyCharge(int status, ChargeBody body, Duration retryAfter, String detail) {
        if (status == 200 || status == 402) {
            boolean hasId = body.id() != null && !body.id().isBlank();
            if (status == 200 && "succeeded".equals(body.status()) && hasId) {
                return new GatewayOutcome.Approved(body.id());
            }
            if ("declined".equals(body.status())) {
                return new GatewayOutcome.Declined(body.id(), body.declineCode() == null ? "declined" : body.declineCode());
            }
            // A 200 we cannot read (garbage, no id, no status) may still have charged: look it up.
            return new GatewayOutcome.Ambiguous("unparseable_response", "status " + status + " with body status '"
                    + body.status() + "' and id '" + body.id() + "'");
        }
        return classifyStatus(status, retryAfter, detail);
    }

    /** Classifies an HTTP answer to {@code POST /v1/charges} that was not 200 or 402. */
    public static GatewayOutcome classifyStatus(int status, Duration retryAfter, String detail) {
        if (status == 409) {
            return new GatewayOutcome.InProgress(retryAfter);
        }
        if (status == 401 || status == 403) {
            // Refused before the ledger: not charged. The key is wrong for every payment, so the fleet
            // stops (GuardedGateway forces the breaker open) instead of burning each payment to FAILED.
            return new GatewayOutcome.Retryable("http_" + status, "gateway refused the API key: " + detail, null);
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
        if (status >= 300 && status < 400) {
            // Never followed: a charge is not re-sent to wherever a redirect points.
            return new GatewayOutcome.Ambiguous("http_" + status, "redirect " + status + " not followed");
        }
        // 1xx/unexpected 2xx: we cannot tell what happened.
        return new GatewayOutcome.Ambiguous("http_" + status, "unexpected status " + status);
    }

    /** Classifies an HTTP answer to {@code GET /v1/charges?idempotencyKey=}. */
    public static ChargeLookup classifyLookup(int status, ChargeBody body) {
        if (status == 404) {
            return new ChargeLookup.NotFound();
        }
        if (status == 200) {
            GatewayOutcome outcome = classifyCharge(200, body, null, "");
            return outcome.isFinal() ? new ChargeLookup.Found(outcome)
                    : new ChargeLookup.Failed("lookup_unparseable", "look-up answered 200 without a final status");
        }
        return new ChargeLookup.Failed("http_" + status, "look-up answered " + status);
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
        if (t instanceof SocketException || t instanceof ConnectionClosedException
                || t instanceof NoHttpResponseException) {
            // The connection broke after it was established: the request may have been written and charged.
            return new GatewayOutcome.Ambiguous("connection_reset", t.toString());
        }
        return new GatewayOutcome.Ambiguous("io_error", t.toString());
    }

    /** Classifies a transport failure of a look-up: the look-up failed, the payment stays ambiguous. */
    public static ChargeLookup classifyLookupFailure(Throwable failure) {
        return new ChargeLookup.Failed(classifyFailure(failure).errorClass(), unwrap(failure).toString());
    }

    /**
     * A charge cut off by its total deadline. Once the request may have been written it is ambiguous
     * (look it up before charging again); before a connection was even leased it certainly was not sent.
     */
    public static GatewayOutcome chargeDeadlineExceeded(Duration deadline, boolean maybeSent) {
        if (!maybeSent) {
            return new GatewayOutcome.Retryable(DEADLINE_EXCEEDED, "no gateway connection within " + deadline
                    + "; request not sent", null);
        }
        return new GatewayOutcome.Ambiguous(DEADLINE_EXCEEDED, "no complete answer within " + deadline
                + " of sending; connection discarded");
    }

    /** A look-up cut off by its total deadline. */
    public static ChargeLookup lookupDeadlineExceeded(Duration deadline) {
        return new ChargeLookup.Failed(DEADLINE_EXCEEDED, "no complete look-up answer within " + deadline);
    }

    /** How one call counts for the circuit breaker; see docs/worker.md, "What the breaker counts". */
    public enum BreakerVerdict {
        /** The gateway answered as a working gateway does (approved, declined, rejected, found, not found). */
        SUCCESS,
        /** The gateway is failing: 5xx, 503, timeouts, resets, connect failures, unreadable answers. */
        FAILURE,
        /** Neither: 409 (an earlier attempt still in progress) and 429 (back-pressure, honoured per record). */
        NOT_COUNTED,
        /** 401/403: the API key is refused for every payment; the fleet stops until an operator resets it. */
        STOP_FLEET
    }

    public static BreakerVerdict breakerVerdict(GatewayOutcome outcome) {
        if (outcome instanceof GatewayOutcome.InProgress) {
            return BreakerVerdict.NOT_COUNTED;
        }
        if (outcome instanceof GatewayOutcome.Retryable || outcome instanceof GatewayOutcome.Ambiguous) {
            return verdictOfErrorClass(outcome.errorClass());
        }
        return BreakerVerdict.SUCCESS;
    }

    public static BreakerVerdict breakerVerdict(ChargeLookup lookup) {
        return lookup instanceof ChargeLookup.Failed f ? verdictOfErrorClass(f.errorClass()) : BreakerVerdict.SUCCESS;
    }

    private static BreakerVerdict verdictOfErrorClass(String errorClass) {
        return switch (errorClass) {
            case "http_401", "http_403" -> BreakerVerdict.STOP_FLEET;
            case "http_429", "http_409" -> BreakerVerdict.NOT_COUNTED;
            default -> BreakerVerdict.FAILURE;
        };
    }

    /** Whether an outcome counts as a gateway failure for the circuit breaker. */
    public static boolean isBreakerFailure(GatewayOutcome outcome) {
        return breakerVerdict(outcome) == BreakerVerdict.FAILURE;
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
