package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.testing.TestPayments;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The real deadline scheduler against a response that drips one byte every 200 ms: HttpClient's idle
 * timeout alone would never cut it off (each byte resets it); the total deadline does, and the next
 * call on the same one-connection pool still gets through.
 */
class HttpPaymentGatewayDripTest {

    @Test
    void aDrippingChargeIsCutOffAtItsDeadlineAndTheNextCallStillWorks() throws Exception {
        String slowBody = "{\"id\":\"ch_drip\",\"status\":\"succeeded\"," + "\"pad\":\"" + "x".repeat(200) + "\"}";
        try (ScriptedGatewayServer server = new ScriptedGatewayServer();
                HttpPaymentGateway gateway = new HttpPaymentGateway(new GatewayConfig(server.baseUri(), "sk_test",
                        Duration.ofSeconds(2), Duration.ofMillis(300), 1, 1))) {
            server.answer(server.drip(slowBody, Duration.ofMillis(200)));

            // The drip would take 50 s; a bounded wait far shorter than that proves the cut-off.
            GatewayOutcome outcome = gateway.charge(TestPayments.request("drip-1")).get(10, TimeUnit.SECONDS);

            assertThat(outcome).isEqualTo(new GatewayOutcome.Ambiguous("deadline_exceeded",
                    "no complete answer within PT0.3S of sending; connection discarded"));

            server.answer(ScriptedGatewayServer.respond(200, "{\"id\":\"ch_next\",\"status\":\"succeeded\"}"));
            assertThat(gateway.charge(TestPayments.request("next-1")).get(10, TimeUnit.SECONDS))
                    .isEqualTo(new GatewayOutcome.Approved("ch_next"));
            assertThat(server.connections()).as("the dripping connection was discarded, not reused").isEqualTo(2);
        }
    }
}
