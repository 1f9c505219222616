package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** What the ledger proves about amounts: the charge is for what was first published, or it counts. */
class ChargeLedgerTest {
    private static final String AUTH = "Bearer " + GatewayTestClient.API_KEY;

    private GatewaySimulator gateway;

    @AfterEach
    void stop() {
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void recordsTheAmountOfTheAttemptThatChargedAndCountsWrongAmounts() {
        gateway = GatewaySimulator.start(SimulatorConfig.builder().latency(Duration.ZERO).build());
        GatewayTestClient client = new GatewayTestClient(gateway);
        charge(client, "pay-a", "12.50", "tok_visa");
        charge(client, "pay-b", "10.00", "tok_visa");
        charge(client, "pay-b", "99.00", "tok_visa"); // a replay: the first amount stands
        charge(client, "pay-c", "7.00", "tok_decline");
        charge(client, "pay-stray", "1.00", "tok_visa");

        assertThat(gateway.ledger().chargedAmount("pay-a")).hasValue(new BigDecimal("12.50"));
        assertThat(gateway.ledger().chargedAmount("pay-b")).hasValue(new BigDecimal("10.00"));
        assertThat(gateway.ledger().chargedAmount("pay-c")).as("declined: no money moved").isEmpty();
        assertThat(gateway.ledger().chargedAmount("pay-never")).isEmpty();
        assertThat(gateway.ledger().chargedKeys()).containsExactlyInAnyOrder("pay-a", "pay-b", "pay-stray");

        Map<String, BigDecimal> published = Map.of("pay-a", new BigDecimal("12.5"), "pay-b", new BigDecimal("10.01"),
                "pay-c", new BigDecimal("7.00"));
        // pay-b was charged another amount, pay-stray was never published
        assertThat(gateway.ledger().chargedWrongAmount(published)).isEqualTo(2);
        assertThat(gateway.ledger().chargedWrongAmount(Map.of("pay-a", new BigDecimal("12.50"),
                "pay-b", new BigDecimal("10"), "pay-stray", new BigDecimal("1")))).isZero();
        assertThat(gateway.ledger().chargedTwice()).isZero();
    }

    private static void charge(GatewayTestClient client, String key, String amount, String method) {
        client.send(client.chargeRequest(key, GatewayTestClient.body(key, amount, method), AUTH, Duration.ofSeconds(10)));
    }
}
