package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Injected faults and outages: what the client sees and, above all, what the ledger records. */
class GatewayFaultsTest {
    private static final SimulatorConfig HEALTHY = SimulatorConfig.builder().latency(Duration.ZERO).build();
    private static final String AUTH = "Bearer " + GatewayTestClient.API_KEY;
    private static final Duration CLIENT_TIMEOUT = Duration.ofMillis(300);

    private GatewaySimulator gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    private GatewayTestClient start(SimulatorConfig config) {
        gateway = GatewaySimulator.start(config);
        return new GatewayTestClient(gateway);
    }

    @Test
    void timeoutAfterChargeRecordsTheChargeSoALookupOrRetryFindsIt() {
        GatewayTestClient client = start(HEALTHY.toBuilder().timeoutAfterChargeRate(1.0).build());

        Throwable failure = client.sendExpectingFailure(client.chargeRequest("pay-tac",
                GatewayTestClient.body("pay-tac"), AUTH, CLIENT_TIMEOUT));

        assertThat(failure).isInstanceOf(HttpTimeoutException.class);
        assertThat(gateway.ledger().find("pay-tac")).isPresent();
        HttpResponse<String> lookup = client.lookup("pay-tac");
        assertThat(lookup.statusCode()).isEqualTo(200);
        assertThat(lookup.body()).contains("\"status\":\"succeeded\"");
        gateway.updateConfig(HEALTHY);
        HttpResponse<String> retry = client.charge("pay-tac");
        assertThat(retry.body()).isEqualTo(lookup.body());
        assertThat(gateway.ledger().chargesFor("pay-tac")).isEqualTo(1);
        assertThat(gateway.stats().faults(InjectedFault.TIMEOUT_AFTER_CHARGE)).isEqualTo(1);
    }

    @Test
    void timeoutBeforeChargeRecordsNothingAndDoesNotHoldTheKey() {
        GatewayTestClient client = start(HEALTHY.toBuilder().timeoutBeforeChargeRate(1.0).build());

        Throwable failure = client.sendExpectingFailure(client.chargeRequest("pay-tbc",
                GatewayTestClient.body("pay-tbc"), AUTH, CLIENT_TIMEOUT));

        assertThat(failure).isInstanceOf(HttpTimeoutException.class);
        assertThat(gateway.ledger().find("pay-tbc")).isEmpty();
        assertThat(client.lookup("pay-tbc").statusCode()).isEqualTo(404);
        gateway.updateConfig(HEALTHY);
        HttpResponse<String> retry = client.charge("pay-tbc"); // not 409: the swallowed attempt holds nothing
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(gateway.ledger().chargesFor("pay-tbc")).isEqualTo(1);
        assertThat(gateway.stats().faults(InjectedFault.TIMEOUT_BEFORE_CHARGE)).isEqualTo(1);
    }

    @Test
    void aHungRequestIsAnsweredWith504OnlyOnceTheHangTimeHasPassed() throws Exception {
        MutableClock clock = new MutableClock();
        gateway = GatewaySimulator.start(HEALTHY.toBuilder().timeoutBeforeChargeRate(1.0)
                .hangTime(Duration.ofMillis(400)).build(), clock);
        GatewayTestClient client = new GatewayTestClient(gateway);

        CompletableFuture<HttpResponse<String>> hung = client.chargeAsync("pay-hang");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().pending() == 1);
        clock.advance(Duration.ofMillis(399));
        assertThat(hung).isNotDone();
        clock.advance(Duration.ofMillis(1));

        assertThat(hung.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(504);
        assertThat(gateway.stats().pending()).isZero();
    }

    @Test
    void rateLimitAndUnavailableCarryRetryAfterAndChargeNothing() {
        GatewayTestClient client = start(HEALTHY.toBuilder().rateLimitRate(1.0).retryAfterSeconds(3).build());

        HttpResponse<String> limited = client.charge("pay-429");
        gateway.updateConfig(b -> b.rateLimitRate(0).unavailableRate(1.0).retryAfterSeconds(2));
        HttpResponse<String> unavailable = client.charge("pay-429");
        gateway.updateConfig(HEALTHY.toBuilder().unavailableRate(1.0).retryAfterSeconds(0).build());
        HttpResponse<String> noHeader = client.charge("pay-429");

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("Retry-After")).hasValue("3");
        assertThat(unavailable.statusCode()).isEqualTo(503);
        assertThat(unavailable.headers().firstValue("Retry-After")).hasValue("2");
        assertThat(noHeader.statusCode()).isEqualTo(503);
        assertThat(noHeader.headers().firstValue("Retry-After")).isEmpty();
        assertThat(gateway.ledger().find("pay-429")).isEmpty();
        assertThat(gateway.stats().chargeCallsFor("pay-429")).isEqualTo(3);
    }

    @Test
    void serverErrorsHitRoughlyTheConfiguredShareAndChargeNothing() {
        GatewayTestClient client = start(HEALTHY.toBuilder().serverErrorRate(0.3).build());
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            calls.add(client.chargeAsync("pay-5xx-" + i));
        }
        long errors = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 500).count();

        assertThat(errors).isBetween(110L, 190L); // 30 % of 500 = 150
        assertThat(gateway.ledger().totalCharges()).isEqualTo(500 - errors);
        assertThat(gateway.stats().faults(InjectedFault.SERVER_ERROR)).isEqualTo(errors);
    }

    @Test
    void scriptedOutageAnswersFast503sThenRecovers() {
        // long enough that the first call surely lands inside it, even on a busy machine
        GatewayTestClient client = start(HEALTHY.toBuilder().outage(Duration.ZERO, Duration.ofSeconds(3)).build());

        HttpResponse<String> during = client.charge("pay-out");

        assertThat(during.statusCode()).isEqualTo(503);
        assertThat(during.headers().firstValue("Retry-After")).isEmpty();
        assertThat(gateway.ledger().find("pay-out")).isEmpty();
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> client.charge("pay-out").statusCode() == 200);
        assertThat(gateway.inOutage()).isFalse();
        assertThat(gateway.stats().chargeCallsDuringOutage()).isGreaterThanOrEqualTo(1);
        assertThat(gateway.ledger().chargesFor("pay-out")).isEqualTo(1);
    }

    @Test
    void runtimeOutageBeginsAndEndsOnDemand() {
        GatewayTestClient client = start(HEALTHY);
        assertThat(client.charge("pay-rt-1").statusCode()).isEqualTo(200);

        gateway.beginOutage(Duration.ofMinutes(5));
        assertThat(gateway.inOutage()).isTrue();
        assertThat(client.charge("pay-rt-2").statusCode()).isEqualTo(503);
        assertThat(client.charge("pay-rt-1").statusCode()).isEqualTo(503); // even replays: the gateway is down
        gateway.endOutage();

        assertThat(gateway.inOutage()).isFalse();
        assertThat(client.charge("pay-rt-2").statusCode()).isEqualTo(200);
        assertThat(gateway.stats().chargeCallsDuringOutage()).isEqualTo(2);
    }

    @Test
    void endOutageAlsoCutsAnOpenScriptedWindowShort() {
        GatewayTestClient client = start(HEALTHY.toBuilder().outage(Duration.ZERO, Duration.ofMinutes(5)).build());
        assertThat(client.charge("pay-cut").statusCode()).isEqualTo(503);

        gateway.endOutage();

        assertThat(client.charge("pay-cut").statusCode()).isEqualTo(200);
    }

    @Test
    void timeoutOutageModeHangsChargesInsteadOfRefusingThem() {
        GatewayTestClient client = start(HEALTHY.toBuilder().outageMode(OutageMode.TIMEOUT).build());
        gateway.beginOutage(Duration.ofMinutes(1));

        Throwable failure = client.sendExpectingFailure(client.chargeRequest("pay-hto",
                GatewayTestClient.body("pay-hto"), AUTH, CLIENT_TIMEOUT));

        assertThat(failure).isInstanceOf(HttpTimeoutException.class);
        assertThat(gateway.ledger().find("pay-hto")).isEmpty();
        assertThat(gateway.stats().chargeCallsDuringOutage()).isEqualTo(1);
    }

    @Test
    void closeDoesNotWaitForHungRequests() {
        GatewayTestClient client = start(HEALTHY.toBuilder().timeoutBeforeChargeRate(1.0).build());
        CompletableFuture<HttpResponse<String>> hung = client.chargeAsync("pay-hung");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().pending() == 1);

        gateway.close();

        await().atMost(Duration.ofSeconds(5)).until(hung::isDone);
        assertThat(hung).isCompletedExceptionally();
        gateway = null;
    }
}
