package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Faults that strike after the charge is recorded: the client sees a failure, the ledger holds exactly one
 * charge, and a retry with the same key gets the stored outcome.
 */
class AfterChargeFaultsTest {
    private static final SimulatorConfig HEALTHY = SimulatorConfig.builder().latency(Duration.ZERO).build();
    private static final String AUTH = "Bearer " + GatewayTestClient.API_KEY;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration QUIET = Duration.ofMillis(300);

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

    /** The retry after the fault, on a healthy gateway: the first outcome, charged once, same as a look-up. */
    private void assertChargedOnceAndRetryReplays(GatewayTestClient client, String key) {
        assertThat(gateway.ledger().chargesFor(key)).isEqualTo(1);
        gateway.updateConfig(HEALTHY);
        HttpResponse<String> retry = client.charge(key);
        HttpResponse<String> lookup = client.lookup(key);
        assertThat(retry.statusCode()).isEqualTo(200);
        assertThat(retry.body()).contains("\"status\":\"succeeded\"").isEqualTo(lookup.body());
        assertThat(gateway.ledger().chargesFor(key)).isEqualTo(1);
        assertThat(gateway.ledger().chargedTwice()).isZero();
    }

    @Test
    void resetAfterChargeLeavesTheClientWithATransportErrorAndTheChargeRecorded() {
        GatewayTestClient client = start(HEALTHY.toBuilder().resetAfterChargeRate(1.0).build());

        Throwable failure = client.sendExpectingFailure(client.chargeRequest("pay-rst",
                GatewayTestClient.body("pay-rst"), AUTH, Duration.ofSeconds(10)));

        assertThat(failure).isInstanceOf(IOException.class).isNotInstanceOf(HttpTimeoutException.class);
        assertThat(gateway.stats().resets()).isEqualTo(1);
        assertThat(gateway.stats().faults(InjectedFault.RESET_AFTER_CHARGE)).isEqualTo(1);
        assertThat(gateway.stats().pending()).isZero();
        assertChargedOnceAndRetryReplays(client, "pay-rst");
    }

    @Test
    void resetAfterChargeSendsNotOneByteOfAResponse() throws IOException {
        start(HEALTHY.toBuilder().resetAfterChargeRate(1.0).build());

        try (RawHttpConnection raw = new RawHttpConnection(gateway)) {
            raw.postCharge("pay-rst-raw");
            try {
                assertThat(raw.readFor(Duration.ofSeconds(5))).as("the server closed the connection").isFalse();
            } catch (IOException reset) {
                assertThat(reset).hasMessageContaining("reset");
            }
            assertThat(raw.received()).isEmpty();
        }
        assertThat(gateway.ledger().chargesFor("pay-rst-raw")).isEqualTo(1);
    }

    @Test
    void serverErrorAfterChargeAnswers500WithTheChargeRecorded() {
        GatewayTestClient client = start(HEALTHY.toBuilder().serverErrorAfterChargeRate(1.0).build());

        HttpResponse<String> response = client.charge("pay-500ac");

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(gateway.stats().faults(InjectedFault.SERVER_ERROR_AFTER_CHARGE)).isEqualTo(1);
        assertChargedOnceAndRetryReplays(client, "pay-500ac");
    }

    @Test
    void garbage200IsNotJsonButTheChargeIsRecorded() {
        GatewayTestClient client = start(HEALTHY.toBuilder().garbage200Rate(1.0).build());

        HttpResponse<String> response = client.charge("pay-garbage");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThatThrownBy(() -> JSON.readTree(response.body())).isInstanceOf(IOException.class);
        assertChargedOnceAndRetryReplays(client, "pay-garbage");
    }

    @Test
    void incomplete200LacksIdOrStatusOrIsCutShortInEveryVariant() {
        GatewayTestClient client = start(HEALTHY.toBuilder().incomplete200Rate(1.0).build());
        Set<String> variants = new HashSet<>();

        for (int i = 0; i < 30; i++) {
            String key = "pay-inc-" + i;
            HttpResponse<String> response = client.charge(key);
            assertThat(response.statusCode()).isEqualTo(200);
            variants.add(settleableOrWhyNot(response.body()));
            assertThat(gateway.ledger().chargesFor(key)).isEqualTo(1);
        }

        assertThat(variants).containsExactlyInAnyOrder("no id", "no status", "not JSON");
        assertChargedOnceAndRetryReplays(client, "pay-inc-0");
    }

    private static String settleableOrWhyNot(String body) {
        JsonNode node;
        try {
            node = JSON.readTree(body);
        } catch (IOException e) {
            return "not JSON";
        }
        if (!node.hasNonNull("id")) {
            return "no id";
        }
        return node.hasNonNull("status") ? "settleable" : "no status";
    }

    @Test
    void aDeclineMetByAnAfterChargeFaultIsStoredAsTheDeclineAndMovesNoMoney() {
        GatewayTestClient client = start(HEALTHY.toBuilder().serverErrorAfterChargeRate(1.0).build());

        HttpResponse<String> response = client.send(client.chargeRequest("pay-decl-500",
                GatewayTestClient.body("pay-decl-500", "5.00", "tok_decline"), AUTH, Duration.ofSeconds(10)));

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(gateway.ledger().find("pay-decl-500")).hasValueSatisfying(
                c -> assertThat(c.status()).isEqualTo(StoredCharge.Status.DECLINED));
        assertThat(gateway.ledger().chargesFor("pay-decl-500")).isZero();
        assertThat(client.lookup("pay-decl-500").body()).contains("\"status\":\"declined\"");
    }

    @Test
    void faultsStrikeRetriesOfAChargedKeyWithoutChargingItAgain() {
        GatewayTestClient client = start(HEALTHY);
        String first = client.charge("pay-again").body();

        gateway.updateConfig(b -> b.resetAfterChargeRate(1.0));
        client.sendExpectingFailure(client.chargeRequest("pay-again", GatewayTestClient.body("pay-again"), AUTH,
                Duration.ofSeconds(10)));
        gateway.updateConfig(b -> b.resetAfterChargeRate(0).garbage200Rate(1.0));
        assertThat(client.charge("pay-again").body()).isNotEqualTo(first);
        gateway.updateConfig(HEALTHY);

        assertThat(client.charge("pay-again").body()).isEqualTo(first);
        assertThat(gateway.ledger().chargesFor("pay-again")).isEqualTo(1);
        assertThat(gateway.stats().chargeCallsFor("pay-again")).isEqualTo(4);
    }

    @Test
    void slowDripSendsTheRealBodyOneByteForEachDripInterval() throws IOException {
        MutableClock clock = new MutableClock();
        gateway = GatewaySimulator.start(HEALTHY.toBuilder().slowDripRate(1.0).dripInterval(Duration.ofMillis(200))
                .build(), clock);

        try (RawHttpConnection raw = new RawHttpConnection(gateway)) {
            raw.postCharge("pay-drip");
            await().atMost(Duration.ofSeconds(5)).until(() -> raw.readFor(QUIET) && raw.headersComplete()
                    && raw.body().length() == 1);
            int length = raw.declaredContentLength();
            assertThat(raw.headers()).startsWith("HTTP/1.1 200");
            assertThat(gateway.ledger().chargesFor("pay-drip")).as("charged before the first byte").isEqualTo(1);

            raw.readFor(QUIET);
            assertThat(raw.body()).as("no byte without the clock moving").hasSize(1);
            for (int bytes = 2; bytes <= length; bytes++) {
                clock.advance(Duration.ofMillis(200));
                int expected = bytes;
                await().atMost(Duration.ofSeconds(5)).until(() -> raw.readFor(Duration.ofMillis(20))
                        && raw.body().length() >= expected);
                assertThat(raw.body()).as("one byte per drip interval").hasSize(expected);
            }
            assertThat(raw.body()).isEqualTo(new String(
                    gateway.ledger().find("pay-drip").map(GatewayResponses::charge).orElseThrow()));
        }
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().dripping() == 0);
        assertThat(gateway.ledger().chargesFor("pay-drip")).isEqualTo(1);
    }

    @Test
    void slowDripStopsWhenTheClientGoesAway() throws IOException {
        gateway = GatewaySimulator.start(HEALTHY.toBuilder().slowDripRate(1.0).dripInterval(Duration.ofMillis(50))
                .build());

        try (RawHttpConnection raw = new RawHttpConnection(gateway)) {
            raw.postCharge("pay-drip-gone");
            await().atMost(Duration.ofSeconds(5)).until(() -> raw.readFor(Duration.ofMillis(20)) && raw.headersComplete()
                    && !raw.body().isEmpty());
            assertThat(raw.body().length()).isLessThan(raw.declaredContentLength());
            assertThat(gateway.stats().dripping()).isEqualTo(1);
        }

        await().atMost(Duration.ofSeconds(10)).until(() -> gateway.stats().dripping() == 0);
        assertThat(gateway.ledger().chargesFor("pay-drip-gone")).isEqualTo(1);
    }
}
