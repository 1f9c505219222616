package dev.paypipe.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The hostile mix against the simplest correct client: retry the same key until the answer settles it.
 * Whatever the faults, every key ends with its first outcome and nothing is charged twice.
 */
class HostileMixTest {
    private static final String AUTH = "Bearer " + GatewayTestClient.API_KEY;
    private static final int KEYS = 300;

    private GatewaySimulator gateway;
    private ExecutorService clients;

    @AfterEach
    void stop() {
        if (clients != null) {
            clients.shutdownNow();
        }
        if (gateway != null) {
            gateway.close();
        }
    }

    @Test
    void everyKeySettlesOnItsFirstOutcomeByRetryingAndNothingIsChargedTwice() throws Exception {
        // short hangs and drips so the test runs in seconds; the shares are the hostile ones
        SimulatorConfig config = FaultMix.HOSTILE.apply(SimulatorConfig.builder().latency(Duration.ZERO)
                .declineRate(0.1)).hangTime(Duration.ofMillis(200)).dripInterval(Duration.ofMillis(2)).build();
        gateway = GatewaySimulator.start(config);
        GatewayTestClient client = new GatewayTestClient(gateway);
        clients = Executors.newFixedThreadPool(16);
        Map<String, BigDecimal> published = new HashMap<>();
        List<Future<HttpResponse<String>>> settled = new ArrayList<>();
        for (int i = 0; i < KEYS; i++) {
            String key = "pay-hostile-" + i;
            String amount = (10 + i) + ".25";
            published.put(key, new BigDecimal(amount));
            settled.add(clients.submit(() -> chargeUntilSettled(client, key, amount)));
        }

        long approved = 0;
        for (int i = 0; i < KEYS; i++) {
            HttpResponse<String> answer = settled.get(i).get(60, TimeUnit.SECONDS);
            String key = "pay-hostile-" + i;
            assertThat(answer.body()).isEqualTo(client.lookupUntilAnswered(key).body());
            if (answer.statusCode() == 200) {
                approved++;
                assertThat(gateway.ledger().chargesFor(key)).isEqualTo(1);
            } else {
                assertThat(gateway.ledger().chargesFor(key)).isZero();
            }
        }

        assertThat(gateway.ledger().chargedTwice()).isZero();
        assertThat(gateway.ledger().totalCharges()).isEqualTo(approved);
        assertThat(gateway.ledger().chargedWrongAmount(published)).isZero();
        long faults = gateway.stats().snapshot().faults().values().stream().mapToLong(Long::longValue).sum();
        assertThat(faults / (double) gateway.stats().chargeCalls()).as("share of faulty attempts")
                .isBetween(0.25, 0.42);
    }

    /** Any answer but a settled 200 or 402 is retried with the same key: it cannot charge twice. */
    private static HttpResponse<String> chargeUntilSettled(GatewayTestClient client, String key, String amount) {
        for (int attempt = 1; attempt <= 50; attempt++) {
            try {
                HttpResponse<String> r = client.sendChecked(client.chargeRequest(key,
                        GatewayTestClient.body(key, amount, "tok_visa"), AUTH, Duration.ofSeconds(5)));
                boolean settled = (r.statusCode() == 200 || r.statusCode() == 402) && r.body().contains("\"id\":\"")
                        && r.body().contains("\"status\":\"") && r.body().endsWith("}");
                if (settled) {
                    return r;
                }
            } catch (IOException transportError) {
                // reset or timeout: ambiguous, and the retry below settles it
            }
        }
        throw new AssertionError("key " + key + " did not settle in 50 attempts");
    }
}
