package dev.paypipe.gateway;

import static dev.paypipe.gateway.ScriptedGatewayServer.hang;
import static dev.paypipe.gateway.ScriptedGatewayServer.respond;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.paypipe.testing.MutableClock;
import dev.paypipe.testing.TestPayments;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The total call deadline, driven by a fake clock against a real socket: the server never answers
 * until the test says so, and the deadline fires only when the test advances the clock.
 */
class HttpPaymentGatewayDeadlineTest {
    private static final Duration DEADLINE = Duration.ofMillis(300);
    private static final Duration WAIT = Duration.ofSeconds(10);
    private static final String APPROVED = "{\"id\":\"ch_ok\",\"status\":\"succeeded\"}";

    private final FakeCallDeadlines deadlines = new FakeCallDeadlines(MutableClock.atDefaultStart());
    private ScriptedGatewayServer server;
    private HttpPaymentGateway gateway;

    @BeforeEach
    void start() throws Exception {
        server = new ScriptedGatewayServer();
        // One connection: a call that kept its connection after its deadline would starve the next one.
        gateway = new HttpPaymentGateway(new GatewayConfig(server.baseUri(), "sk_test_secret", Duration.ofSeconds(5),
                DEADLINE, 1, 1), deadlines);
    }

    @AfterEach
    void stop() throws Exception {
        gateway.close();
        server.close();
    }

    private void awaitRequests(int n) {
        await().atMost(WAIT).until(() -> server.requests().size() >= n);
    }

    @Test
    void aChargeWithoutAnAnswerByItsDeadlineIsAmbiguousAndItsConnectionIsDiscarded() throws Exception {
        server.answer(hang());
        CompletableFuture<GatewayOutcome> charge = gateway.charge(TestPayments.request("pay-1"));
        awaitRequests(1);

        deadlines.advance(DEADLINE.minusMillis(1));
        assertThat(charge).as("not due yet").isNotDone();
        deadlines.advance(Duration.ofMillis(1));

        GatewayOutcome outcome = charge.get(10, TimeUnit.SECONDS);
        assertThat(outcome).isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(outcome.errorClass()).isEqualTo("deadline_exceeded");
        await().atMost(WAIT).until(() -> server.closedByClient() == 1);
        // The client's close of the socket reaches the exchange as a failure afterwards: first completion wins.
        assertThat(charge.join()).isEqualTo(outcome);

        server.answer(respond(200, APPROVED));
        GatewayOutcome next = gateway.charge(TestPayments.request("pay-2")).get(10, TimeUnit.SECONDS);
        assertThat(next).isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        assertThat(server.connections()).as("the cut-off connection was not reused").isEqualTo(2);
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void aLookupWithoutAnAnswerByItsDeadlineIsAFailedLookup() throws Exception {
        server.answer(hang());
        CompletableFuture<ChargeLookup> lookup = gateway.lookup("pay-1");
        awaitRequests(1);

        deadlines.advance(DEADLINE);

        ChargeLookup result = lookup.get(10, TimeUnit.SECONDS);
        assertThat(result).isInstanceOf(ChargeLookup.Failed.class);
        assertThat(((ChargeLookup.Failed) result).errorClass()).isEqualTo("deadline_exceeded");
        assertThat(server.requests().get(0).target()).isEqualTo("/v1/charges?idempotencyKey=pay-1");
    }

    @Test
    void callsAnsweredInTimeCancelTheirDeadlineAndKeepTheirConnection() throws Exception {
        server.answer(respond(200, APPROVED));
        for (int i = 0; i < 20; i++) {
            assertThat(gateway.charge(TestPayments.request("pay-" + i)).get(10, TimeUnit.SECONDS))
                    .isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        }
        server.answer(respond(404, "{\"status\":\"not_found\"}"));
        assertThat(gateway.lookup("pay-1").get(10, TimeUnit.SECONDS))
                .isEqualTo(new ChargeLookup.NotFound());

        assertThat(deadlines.pending()).as("no expiry left behind").isZero();
        assertThat(server.connections()).as("keep-alive still works").isEqualTo(1);
        deadlines.advance(DEADLINE.multipliedBy(10));
        assertThat(server.closedByClient()).isZero();
    }

    @Test
    void aChargeStillWaitingForAConnectionAtItsDeadlineEndsAndLeaksNoConnection() throws Exception {
        server.answer(hang());
        CompletableFuture<GatewayOutcome> first = gateway.charge(TestPayments.request("pay-1"));
        awaitRequests(1);
        CompletableFuture<GatewayOutcome> queued = gateway.charge(TestPayments.request("pay-2")); // pool of one: waits

        deadlines.advance(DEADLINE);

        assertThat(first.get(10, TimeUnit.SECONDS).errorClass()).isEqualTo("deadline_exceeded");
        // Discarding pay-1's connection frees the pool slot just before pay-2's deadline runs; whether pay-2
        // got its connection first (maybe sent: Ambiguous) or not (certainly not sent: Retryable) is a race.
        GatewayOutcome second = queued.get(10, TimeUnit.SECONDS);
        assertThat(second.errorClass()).isEqualTo("deadline_exceeded");
        assertThat(second).isInstanceOfAny(GatewayOutcome.Retryable.class, GatewayOutcome.Ambiguous.class);
        // Either way the slot comes back: the next call on the one-connection pool gets through.
        server.answer(respond(200, APPROVED));
        assertThat(gateway.charge(TestPayments.request("pay-3")).get(10, TimeUnit.SECONDS))
                .isEqualTo(new GatewayOutcome.Approved("ch_ok"));
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void aResetAfterTheRequestWasWrittenIsAmbiguous() throws Exception {
        server.answer(ScriptedGatewayServer.resetAfterRequest());

        GatewayOutcome outcome = gateway.charge(TestPayments.request("pay-1")).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(outcome.errorClass()).isEqualTo("connection_reset");
        assertThat(deadlines.pending()).isZero();
    }

    @Test
    void aRedirectIsNeverFollowedAndIsAmbiguous() throws Exception {
        server.answer(respond(302, "", "Location: " + server.baseUri() + "/v1/elsewhere"));

        GatewayOutcome outcome = gateway.charge(TestPayments.request("pay-1")).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(GatewayOutcome.Ambiguous.class);
        assertThat(outcome.errorClass()).isEqualTo("http_302");
        assertThat(server.requests()).extracting(ScriptedGatewayServer.Request::target).containsExactly("/v1/charges");
    }

    @Test
    void sendsTheApiKeyAndIdempotencyKeyAndMapsAuthFailuresToRetryable() throws Exception {
        server.answer(respond(401, "{\"status\":\"unauthorized\"}"));

        GatewayOutcome outcome = gateway.charge(TestPayments.request("pay-1")).get(10, TimeUnit.SECONDS);

        assertThat(outcome).isInstanceOf(GatewayOutcome.Retryable.class);
        assertThat(outcome.errorClass()).isEqualTo("http_401");
        assertThat(server.requests().get(0).authorization()).isEqualTo("Bearer sk_test_secret");
        assertThat(server.requests().get(0).idempotencyKey()).isEqualTo("pay-1");
    }
}
