package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeoutException;
import javax.net.ssl.SSLHandshakeException;
import org.apache.hc.client5.http.ConnectTimeoutException;
import org.apache.hc.client5.http.HttpHostConnectException;
import org.apache.hc.core5.http.ConnectionClosedException;
import org.apache.hc.core5.http.NoHttpResponseException;
import org.apache.hc.core5.util.Deadline;
import org.apache.hc.core5.util.DeadlineTimeoutException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;
import dev.paypipe.gateway.FailureClassifier.BreakerVerdict;
import dev.paypipe.gateway.FailureClassifier.ChargeBody;

class FailureClassifierTest {
    private static final Duration HINT = Duration.ofSeconds(7);

    // ------------------------------------------------------------------ HTTP statuses

    @ParameterizedTest
    @ValueSource(ints = {400, 404, 422})
    void clientErrorsOtherThanAuth409And429AreRejectedAndFinal(int status) {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(status, HINT, "bad amount");

        assertThat(outcome).isEqualTo(new GatewayOutcome.Rejected(status, "bad amount"));
        assertThat(outcome.isFinal()).isTrue();
        assertThat(outcome.errorClass()).isEqualTo("http_" + status);
        assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.SUCCESS);
    }

    @ParameterizedTest
    @ValueSource(ints = {401, 403})
    void authFailuresWereNotChargedAndStopTheFleet(int status) {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(status, HINT, "bad key");

        assertThat(outcome).isEqualTo(new GatewayOutcome.Retryable("http_" + status,
                "gateway refused the API key: bad key", null));
        assertThat(outcome.isFinal()).as("a wrong key must not burn the payment to FAILED").isFalse();
        assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.STOP_FLEET);
        assertThat(FailureClassifier.breakerVerdict(FailureClassifier.classifyLookup(status, ChargeBody.EMPTY)))
                .isEqualTo(BreakerVerdict.STOP_FLEET);
    }

    @Test
    void conflictMeansAnEarlierAttemptIsStillInProgress() {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(409, HINT, "in progress");

        assertThat(outcome).isEqualTo(new GatewayOutcome.InProgress(HINT));
        assertThat(outcome.isFinal()).isFalse();
        assertThat(outcome.errorClass()).isEqualTo("http_409");
        assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.NOT_COUNTED);
        assertThat(FailureClassifier.classifyStatus(409, null, "")).isEqualTo(new GatewayOutcome.InProgress(null));
    }

    @ParameterizedTest
    @ValueSource(ints = {429, 503})
    void tooManyRequestsAndUnavailableAreSafeToRetryAndKeepRetryAfter(int status) {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(status, HINT, "slow down");

        assertThat(outcome).isEqualTo(new GatewayOutcome.Retryable("http_" + status, "slow down", HINT));
        assertThat(outcome.isFinal()).isFalse();
        assertThat(FailureClassifier.classifyStatus(status, null, "x"))
                .isEqualTo(new GatewayOutcome.Retryable("http_" + status, "x", null));
    }

    @Test
    void tooManyRequestsIsBackPressureNotAFailureButUnavailableIsAFailure() {
        assertThat(FailureClassifier.breakerVerdict(FailureClassifier.classifyStatus(429, HINT, "")))
                .isEqualTo(BreakerVerdict.NOT_COUNTED);
        assertThat(FailureClassifier.breakerVerdict(FailureClassifier.classifyStatus(429, null, "")))
                .isEqualTo(BreakerVerdict.NOT_COUNTED);
        assertThat(FailureClassifier.breakerVerdict(FailureClassifier.classifyStatus(503, HINT, "")))
                .isEqualTo(BreakerVerdict.FAILURE);
    }

    @ParameterizedTest
    @ValueSource(ints = {500, 502, 504, 599})
    void otherServerErrorsAreAmbiguous(int status) {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(status, HINT, "boom");

        assertThat(outcome).isEqualTo(new GatewayOutcome.Ambiguous("http_" + status, "boom"));
        assertThat(outcome.isFinal()).isFalse();
        assertThat(FailureClassifier.isBreakerFailure(outcome)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(ints = {100, 201, 204, 301, 302, 304, 307, 308})
    void unexpectedStatusesAreAmbiguousNeverSuccess(int status) {
        GatewayOutcome outcome = FailureClassifier.classifyStatus(status, null, "");

        assertThat(outcome).isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(outcome.errorClass()).isEqualTo("http_" + status);
        assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.FAILURE);
    }

    @ParameterizedTest
    @ValueSource(ints = {301, 302, 303, 307, 308})
    void redirectsAreNotFollowed(int status) {
        assertThat(((GatewayOutcome.Ambiguous) FailureClassifier.classifyStatus(status, null, "")).detail())
                .isEqualTo("redirect " + status + " not followed");
    }

    // ------------------------------------------------------------------ answer bodies

    @Test
    void anOkWithIdAndSucceededIsApproved() {
        assertThat(FailureClassifier.classifyCharge(200, new ChargeBody("ch_1", "succeeded", null), null, ""))
                .isEqualTo(new GatewayOutcome.Approved("ch_1"));
    }

    @Test
    void anOkWithoutIdOrStatusMayHaveChargedAndIsAmbiguous() {
        for (ChargeBody body : new ChargeBody[] {
                ChargeBody.EMPTY,
                new ChargeBody(null, "succeeded", null),
                new ChargeBody("", "succeeded", null),
                new ChargeBody("ch_1", null, null),
                new ChargeBody("ch_1", "pending", null)}) {
            GatewayOutcome outcome = FailureClassifier.classifyCharge(200, body, null, "");
            assertThat(outcome).as(body.toString()).isInstanceOf(GatewayOutcome.Ambiguous.class);
            assertThat(outcome.errorClass()).isEqualTo("unparseable_response");
            assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.FAILURE);
        }
    }

    @Test
    void aDeclineIsFinalWithItsCodeOrAGenericOne() {
        assertThat(FailureClassifier.classifyCharge(402, new ChargeBody("ch_2", "declined", "insufficient_funds"),
                null, "")).isEqualTo(new GatewayOutcome.Declined("ch_2", "insufficient_funds"));
        assertThat(FailureClassifier.classifyCharge(402, new ChargeBody("ch_3", "declined", null), null, ""))
                .isEqualTo(new GatewayOutcome.Declined("ch_3", "declined"));
        assertThat(FailureClassifier.classifyCharge(402, ChargeBody.EMPTY, null, ""))
                .isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(FailureClassifier.classifyCharge(402, new ChargeBody("ch_4", "succeeded", null), null, ""))
                .as("a 402 that claims success is contradictory: look it up").isInstanceOf(GatewayOutcome.Ambiguous.class);
    }

    @Test
    void lookUpAnswers() {
        assertThat(FailureClassifier.classifyLookup(404, ChargeBody.EMPTY)).isEqualTo(new ChargeLookup.NotFound());
        assertThat(FailureClassifier.classifyLookup(200, new ChargeBody("ch_1", "succeeded", null)))
                .isEqualTo(new ChargeLookup.Found(new GatewayOutcome.Approved("ch_1")));
        assertThat(FailureClassifier.classifyLookup(200, new ChargeBody("ch_1", "declined", "do_not_honor")))
                .isEqualTo(new ChargeLookup.Found(new GatewayOutcome.Declined("ch_1", "do_not_honor")));
        assertThat(FailureClassifier.classifyLookup(200, new ChargeBody(null, "succeeded", null)))
                .isEqualTo(new ChargeLookup.Failed("lookup_unparseable", "look-up answered 200 without a final status"));
        ChargeLookup unavailable = FailureClassifier.classifyLookup(503, ChargeBody.EMPTY);
        assertThat(unavailable).isEqualTo(new ChargeLookup.Failed("http_503", "look-up answered 503"));
        assertThat(FailureClassifier.breakerVerdict(unavailable)).isEqualTo(BreakerVerdict.FAILURE);
        assertThat(FailureClassifier.breakerVerdict(FailureClassifier.classifyLookup(429, ChargeBody.EMPTY)))
                .isEqualTo(BreakerVerdict.NOT_COUNTED);
        assertThat(FailureClassifier.breakerVerdict(new ChargeLookup.NotFound())).isEqualTo(BreakerVerdict.SUCCESS);
    }

    // ------------------------------------------------------------------ deadlines

    @Test
    void aChargeCutOffByItsDeadlineAfterSendingIsAmbiguousAndBeforeIsSafe() {
        GatewayOutcome sent = FailureClassifier.chargeDeadlineExceeded(Duration.ofSeconds(5), true);
        assertThat(sent).isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(sent.errorClass()).isEqualTo("deadline_exceeded");
        assertThat(FailureClassifier.breakerVerdict(sent)).isEqualTo(BreakerVerdict.FAILURE);

        GatewayOutcome unsent = FailureClassifier.chargeDeadlineExceeded(Duration.ofSeconds(5), false);
        assertThat(unsent).isInstanceOf(GatewayOutcome.Retryable.class);
        assertThat(unsent.errorClass()).isEqualTo("deadline_exceeded");

        ChargeLookup lookup = FailureClassifier.lookupDeadlineExceeded(Duration.ofSeconds(5));
        assertThat(lookup).isInstanceOf(ChargeLookup.Failed.class);
        assertThat(((ChargeLookup.Failed) lookup).errorClass()).isEqualTo("deadline_exceeded");
        assertThat(FailureClassifier.breakerVerdict(lookup)).isEqualTo(BreakerVerdict.FAILURE);
    }

    @Test
    void finalOutcomesAreApprovedDeclinedAndRejectedOnly() {
        assertThat(new GatewayOutcome.Approved("ch_1").isFinal()).isTrue();
        assertThat(new GatewayOutcome.Declined("ch_1", "insufficient_funds").isFinal()).isTrue();
        assertThat(new GatewayOutcome.Approved("ch_1").errorClass()).isNull();
        assertThat(FailureClassifier.breakerVerdict(new GatewayOutcome.Approved("ch_1"))).isEqualTo(BreakerVerdict.SUCCESS);
        assertThat(FailureClassifier.breakerVerdict(new GatewayOutcome.Declined("ch_1", "x"))).isEqualTo(BreakerVerdict.SUCCESS);
    }

    // ------------------------------------------------------------------ transport failures

    @Test
    void connectFailuresAreSafeToRetry() {
        for (Throwable t : new Throwable[] {
                new ConnectException("Connection refused"),
                new HttpHostConnectException("Connect to gateway:443 failed"),
                new ConnectTimeoutException("Connect to gateway:443 timed out"),
                new UnknownHostException("gateway"),
                new NoRouteToHostException("no route"),
                new SSLHandshakeException("handshake failed")}) {
            GatewayOutcome outcome = FailureClassifier.classifyFailure(t);
            assertThat(outcome).as(t.toString()).isInstanceOf(GatewayOutcome.Retryable.class);
            assertThat(outcome.errorClass()).as(t.toString()).isEqualTo("connect_failed");
            assertThat(((GatewayOutcome.Retryable) outcome).retryAfter()).isNull();
            assertThat(((GatewayOutcome.Retryable) outcome).detail()).contains(t.getMessage());
        }
    }

    @Test
    void waitingForAPooledConnectionIsSafeToRetry() {
        GatewayOutcome outcome = FailureClassifier.classifyFailure(
                DeadlineTimeoutException.from(Deadline.fromUnixMilliseconds(0)));

        assertThat(outcome).isInstanceOf(GatewayOutcome.Retryable.class);
        assertThat(outcome.errorClass()).isEqualTo("pool_timeout");
    }

    @Test
    void responseTimeoutsAreAmbiguous() {
        for (Throwable t : new Throwable[] {
                new SocketTimeoutException("Read timed out"),
                new InterruptedIOException("interrupted"),
                new TimeoutException("deadline")}) {
            GatewayOutcome outcome = FailureClassifier.classifyFailure(t);
            assertThat(outcome).as(t.toString()).isInstanceOf(GatewayOutcome.Ambiguous.class);
            assertThat(outcome.errorClass()).as(t.toString()).isEqualTo("timeout");
        }
    }

    @Test
    void aConnectionBrokenAfterItWasEstablishedIsAmbiguous() {
        for (Throwable t : new Throwable[] {
                new SocketException("Connection reset"),
                new ConnectionClosedException("Connection closed by peer"),
                new NoHttpResponseException("no response")}) {
            GatewayOutcome outcome = FailureClassifier.classifyFailure(t);
            assertThat(outcome).as(t.toString()).isInstanceOf(GatewayOutcome.Ambiguous.class);
            assertThat(outcome.errorClass()).as(t.toString()).isEqualTo("connection_reset");
            assertThat(FailureClassifier.breakerVerdict(outcome)).isEqualTo(BreakerVerdict.FAILURE);
        }
    }

    @Test
    void otherIoFailuresAfterSendingAreAmbiguous() {
        for (Throwable t : new Throwable[] {
                new IOException("broken pipe"),
                new IllegalStateException("something odd")}) {
            GatewayOutcome outcome = FailureClassifier.classifyFailure(t);
            assertThat(outcome).as(t.toString()).isInstanceOf(GatewayOutcome.Ambiguous.class);
            assertThat(outcome.errorClass()).as(t.toString()).isEqualTo("io_error");
            assertThat(((GatewayOutcome.Ambiguous) outcome).detail()).contains(t.getMessage());
        }
    }

    @Test
    void cancellationIsAmbiguous() {
        GatewayOutcome outcome = FailureClassifier.classifyFailure(new CancellationException());

        assertThat(outcome).isEqualTo(new GatewayOutcome.Ambiguous("cancelled", "request cancelled"));
    }

    @Test
    void looksThroughCompletionAndExecutionWrappers() {
        assertThat(FailureClassifier.classifyFailure(new CompletionException(new ConnectException("refused"))))
                .isInstanceOf(GatewayOutcome.Retryable.class)
                .extracting(GatewayOutcome::errorClass).isEqualTo("connect_failed");
        assertThat(FailureClassifier.classifyFailure(new CompletionException(
                new ExecutionException(new HttpHostConnectException("refused")))))
                .isInstanceOf(GatewayOutcome.Retryable.class);
        assertThat(FailureClassifier.classifyFailure(new CompletionException(new SocketTimeoutException("read"))))
                .isInstanceOf(GatewayOutcome.Ambiguous.class)
                .extracting(GatewayOutcome::errorClass).isEqualTo("timeout");
        assertThat(FailureClassifier.classifyFailure(new ExecutionException(new IOException("odd"))))
                .extracting(GatewayOutcome::errorClass).isEqualTo("io_error");
        // A wrapper without a cause is classified as itself: ambiguous.
        assertThat(FailureClassifier.classifyFailure(new CompletionException("no cause", null)))
                .isInstanceOf(GatewayOutcome.Ambiguous.class);
    }

    @Test
    void aConnectExceptionWrappedInAnotherIoExceptionIsNotTrustedAsSafe() {
        // Only the documented wrappers are looked through; anything else may have been sent.
        assertThat(FailureClassifier.classifyFailure(new IOException("wrapped", new ConnectException("refused"))))
                .isInstanceOf(GatewayOutcome.Ambiguous.class);
    }

    // ------------------------------------------------------------------ Retry-After

    @Test
    void parsesRetryAfterSeconds() {
        assertThat(FailureClassifier.parseRetryAfter("0")).isEqualTo(Duration.ZERO);
        assertThat(FailureClassifier.parseRetryAfter("5")).isEqualTo(Duration.ofSeconds(5));
        assertThat(FailureClassifier.parseRetryAfter(" 120 ")).isEqualTo(Duration.ofSeconds(120));
    }

    @Test
    void capsRetryAfterAtOneHour() {
        assertThat(FailureClassifier.parseRetryAfter("3600")).isEqualTo(Duration.ofHours(1));
        assertThat(FailureClassifier.parseRetryAfter("86400")).isEqualTo(Duration.ofHours(1));
        assertThat(FailureClassifier.parseRetryAfter(Long.toString(Long.MAX_VALUE))).isEqualTo(Duration.ofHours(1));
    }

    @Test
    void ignoresMissingNegativeDateAndJunkRetryAfter() {
        assertThat(FailureClassifier.parseRetryAfter(null)).isNull();
        assertThat(FailureClassifier.parseRetryAfter("")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("   ")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("-1")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("1.5")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("soon")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("99999999999999999999999")).isNull();
        assertThat(FailureClassifier.parseRetryAfter("Wed, 21 Oct 2026 07:28:00 GMT")).isNull();
    }
}
