package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The gateway HTTP contract, spoken over loopback sockets by the JDK client. */
class GatewaySimulatorTest {
    private static final SimulatorConfig INSTANT = SimulatorConfig.builder().latency(Duration.ZERO).build();

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
    void approvesAChargeAndRecordsItOnce() {
        GatewayTestClient client = start(SimulatorConfig.defaults());

        HttpResponse<String> response = client.charge("pay-1");

        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).matches("\\{\"id\":\"ch_[0-9a-f]{16}\",\"status\":\"succeeded\"}");
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                ct -> assertThat(ct).startsWith("application/json"));
        assertThat(gateway.ledger().chargesFor("pay-1")).isEqualTo(1);
        assertThat(gateway.ledger().totalCharges()).isEqualTo(1);
        assertThat(gateway.ledger().keys()).isEqualTo(1);
        assertThat(gateway.ledger().find("pay-1")).hasValueSatisfying(c -> {
            assertThat(c.status()).isEqualTo(StoredCharge.Status.SUCCEEDED);
            assertThat(c.amount()).isEqualTo("12.50");
            assertThat(c.currency()).isEqualTo("EUR");
        });
        assertThat(gateway.stats().chargeCalls()).isEqualTo(1);
        assertThat(gateway.stats().responsesByStatus()).containsEntry(200, 1L);
        assertThat(gateway.baseUri().toString()).isEqualTo("http://127.0.0.1:" + gateway.port());
    }

    @Test
    void declinesRoughlyTheConfiguredShareAndNeverChargesADecline() {
        GatewayTestClient client = start(INSTANT.toBuilder().declineRate(0.2).build());
        int n = 600;
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            calls.add(client.chargeAsync("decl-" + i));
        }
        long declined = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 402).count();

        assertThat(declined).isBetween(80L, 160L); // 20 % of 600 = 120
        assertThat(gateway.ledger().totalCharges()).isEqualTo(n - declined);
        assertThat(gateway.ledger().keys()).isEqualTo(n);
        assertThat(gateway.stats().responses(200) + gateway.stats().responses(402)).isEqualTo(n);
    }

    @Test
    void declineBodyCarriesIdAndCodeAndTestTokensForceOutcomes() {
        GatewayTestClient client = start(INSTANT);

        HttpResponse<String> declined = client.send(client.chargeRequest("pay-d",
                GatewayTestClient.body("pay-d", "5.00", "tok_decline_card_expired"), "Bearer " + GatewayTestClient.API_KEY,
                Duration.ofSeconds(5)));
        HttpResponse<String> defaultCode = client.send(client.chargeRequest("pay-e",
                GatewayTestClient.body("pay-e", "5.00", "tok_decline"), "Bearer " + GatewayTestClient.API_KEY,
                Duration.ofSeconds(5)));

        assertThat(declined.statusCode()).isEqualTo(402);
        assertThat(declined.body()).matches(
                "\\{\"id\":\"ch_[0-9a-f]{16}\",\"status\":\"declined\",\"declineCode\":\"card_expired\"}");
        assertThat(defaultCode.body()).contains("\"declineCode\":\"insufficient_funds\"");
        assertThat(gateway.ledger().chargesFor("pay-d")).isZero();
        assertThat(gateway.ledger().find("pay-d")).hasValueSatisfying(
                c -> assertThat(c.declineCode()).isEqualTo("card_expired"));
    }

    @Test
    void replayingAKeyReturnsTheFirstOutcomeAndNeverChargesAgain() {
        GatewayTestClient client = start(INSTANT.toBuilder().declineRate(0.5).build());

        HttpResponse<String> first = client.charge("pay-r");
        HttpResponse<String> second = client.charge("pay-r");
        gateway.updateConfig(INSTANT); // a later attempt with declines off still gets the first outcome
        HttpResponse<String> third = client.charge("pay-r");

        assertThat(second.statusCode()).isEqualTo(first.statusCode());
        assertThat(second.body()).isEqualTo(first.body());
        assertThat(third.statusCode()).isEqualTo(first.statusCode());
        assertThat(third.body()).isEqualTo(first.body());
        assertThat(gateway.ledger().chargesFor("pay-r")).isLessThanOrEqualTo(1);
        assertThat(gateway.ledger().keys()).isEqualTo(1);
        assertThat(gateway.stats().chargeCallsFor("pay-r")).isEqualTo(3);
    }

    @Test
    void concurrentDuplicatesChargeOnceAndTheRestSeeInProgressOrTheReplay() {
        GatewayTestClient client = start(SimulatorConfig.builder().latency(Duration.ofMillis(300)).build());
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 24; i++) {
            calls.add(client.chargeAsync("pay-dup"));
        }
        List<HttpResponse<String>> responses = calls.stream().map(CompletableFuture::join).toList();

        List<HttpResponse<String>> approved = responses.stream().filter(r -> r.statusCode() == 200).toList();
        assertThat(approved).isNotEmpty();
        assertThat(approved).extracting(HttpResponse::body).containsOnly(approved.get(0).body());
        assertThat(responses).extracting(HttpResponse::statusCode).containsOnly(200, 409);
        assertThat(responses.stream().filter(r -> r.statusCode() == 409))
                .allSatisfy(r -> assertThat(r.body()).isEqualTo("{\"status\":\"in_progress\"}"));
        assertThat(gateway.ledger().chargesFor("pay-dup")).isEqualTo(1);
        assertThat(gateway.ledger().chargedTwice()).isZero();
    }

    @Test
    void rejectsAMissingOrWrongBearerTokenWith401() {
        GatewayTestClient client = start(INSTANT);
        String body = GatewayTestClient.body("pay-a");

        HttpResponse<String> missing = client.send(client.chargeRequest("pay-a", body, null, Duration.ofSeconds(5)));
        HttpResponse<String> wrong = client.send(
                client.chargeRequest("pay-a", body, "Bearer sk_live_nope", Duration.ofSeconds(5)));

        assertThat(missing.statusCode()).isEqualTo(401);
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.body()).contains("\"status\":\"unauthorized\"").doesNotContain("sk_");
        assertThat(gateway.ledger().keys()).isZero();
    }

    @Test
    void rejectsMalformedRequestsWith400AndImpossibleValuesWith422() {
        GatewayTestClient client = start(INSTANT);
        String auth = "Bearer " + GatewayTestClient.API_KEY;
        Duration t = Duration.ofSeconds(5);

        HttpResponse<String> noKey = client.send(client.chargeRequest(null, GatewayTestClient.body("pay-b"), auth, t));
        HttpResponse<String> notJson = client.send(client.chargeRequest("pay-b", "{\"paymentId\":", auth, t));
        HttpResponse<String> missingFields = client.send(
                client.chargeRequest("pay-b", "{\"paymentId\":\"pay-b\",\"amount\":\"1.00\"}", auth, t));
        HttpResponse<String> otherKey = client.send(
                client.chargeRequest("pay-other", GatewayTestClient.body("pay-b"), auth, t));
        HttpResponse<String> negative = client.send(
                client.chargeRequest("pay-b", GatewayTestClient.body("pay-b", "-3", "tok_visa_4242"), auth, t));

        assertThat(noKey.statusCode()).isEqualTo(400);
        assertThat(noKey.body()).startsWith("{\"status\":\"invalid\",\"error\":").contains("Idempotency-Key");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(notJson.body()).contains("malformed JSON");
        assertThat(missingFields.statusCode()).isEqualTo(400);
        assertThat(missingFields.body()).contains("currency, customerId, paymentMethod");
        assertThat(otherKey.statusCode()).isEqualTo(400);
        assertThat(negative.statusCode()).isEqualTo(422);
        assertThat(negative.body()).contains("amount must be a positive decimal");
        assertThat(gateway.ledger().keys()).isZero();
    }

    @Test
    void lookupReturnsTheStoredChargeOr404() {
        GatewayTestClient client = start(INSTANT);
        HttpResponse<String> charged = client.charge("pay/with spaces&odd=chars");

        HttpResponse<String> found = client.lookup("pay/with spaces&odd=chars");
        HttpResponse<String> unknown = client.lookup("pay-never-sent");

        assertThat(found.statusCode()).isEqualTo(200);
        assertThat(found.body()).isEqualTo(charged.body());
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(unknown.body()).isEqualTo("{\"status\":\"not_found\"}");
        assertThat(gateway.stats().lookupCalls()).isEqualTo(2);
    }

    @Test
    void holdsChargesAndLookupsForTheConfiguredLatency() throws Exception {
        MutableClock clock = new MutableClock();
        gateway = GatewaySimulator.start(SimulatorConfig.builder().latency(Duration.ofMillis(200)).build(), clock);
        GatewayTestClient client = new GatewayTestClient(gateway);

        CompletableFuture<HttpResponse<String>> charge = client.chargeAsync("pay-slow");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().pending() == 1);
        clock.advance(Duration.ofMillis(199));
        assertThat(charge).isNotDone();
        clock.advance(Duration.ofMillis(1));
        assertThat(charge.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);

        CompletableFuture<HttpResponse<String>> lookup = client.lookupAsync("pay-slow");
        await().atMost(Duration.ofSeconds(5)).until(() -> gateway.stats().pending() == 1);
        assertThat(lookup).isNotDone();
        clock.advance(Duration.ofMillis(200));
        assertThat(lookup.get(5, TimeUnit.SECONDS).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownPathsAndMethodsGetJsonErrors() {
        GatewayTestClient client = start(INSTANT);

        HttpResponse<String> noRoute = client.send(java.net.http.HttpRequest.newBuilder(
                gateway.baseUri().resolve("/v1/refunds")).GET().build());
        HttpResponse<String> delete = client.send(java.net.http.HttpRequest.newBuilder(
                gateway.baseUri().resolve("/v1/charges")).DELETE().build());

        assertThat(noRoute.statusCode()).isEqualTo(404);
        assertThat(delete.statusCode()).isEqualTo(405);
    }
}
