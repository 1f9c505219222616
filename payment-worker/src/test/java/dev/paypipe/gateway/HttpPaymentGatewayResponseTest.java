package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.apache.hc.client5.http.async.methods.SimpleHttpResponse;
import org.apache.hc.core5.http.ContentType;
import org.junit.jupiter.api.Test;

/** How HttpPaymentGateway turns a response into an outcome (200/402 bodies; other statuses via the classifier). */
class HttpPaymentGatewayResponseTest {

    private static SimpleHttpResponse response(int code, String body) {
        SimpleHttpResponse r = new SimpleHttpResponse(code);
        if (body != null) {
            r.setBody(body.getBytes(StandardCharsets.UTF_8), ContentType.APPLICATION_JSON);
        }
        return r;
    }

    @Test
    void okWithSucceededBodyIsApproved() {
        assertThat(HttpPaymentGateway.toOutcome(response(200, "{\"id\":\"ch_1\",\"status\":\"succeeded\",\"n\":3}")))
                .isEqualTo(new GatewayOutcome.Approved("ch_1"));
    }

    @Test
    void paymentRequiredWithDeclinedBodyIsDeclinedWithItsCode() {
        assertThat(HttpPaymentGateway.toOutcome(
                response(402, "{\"id\":\"ch_2\",\"status\":\"declined\",\"declineCode\":\"insufficient_funds\"}")))
                .isEqualTo(new GatewayOutcome.Declined("ch_2", "insufficient_funds"));
        assertThat(HttpPaymentGateway.toOutcome(response(402, "{\"id\":\"ch_3\",\"status\":\"declined\"}")))
                .isEqualTo(new GatewayOutcome.Declined("ch_3", "declined"));
    }

    @Test
    void okWithAnUnreadableBodyIsAmbiguousBecauseItMayHaveCharged() {
        for (String body : new String[] {null, "", "not json", "[]", "{\"status\":\"weird\"}", "{\"status\":",
                "{\"status\":\"succeeded\"}", "{\"id\":\"ch_1\"}", "{\"id\":7,\"status\":\"succeeded\"}",
                "{\"id\":\"ch_1\",\"status\":\"succeeded\""}) {
            GatewayOutcome outcome = HttpPaymentGateway.toOutcome(response(200, body));
            assertThat(outcome).as("body %s", body).isInstanceOf(GatewayOutcome.Ambiguous.class);
            assertThat(outcome.errorClass()).isEqualTo("unparseable_response");
        }
    }

    @Test
    void otherStatusesGoThroughTheClassifierWithRetryAfter() {
        SimpleHttpResponse r = response(429, "{\"error\":\"rate limited\"}");
        r.addHeader("Retry-After", "3");

        assertThat(HttpPaymentGateway.toOutcome(r)).isEqualTo(
                new GatewayOutcome.Retryable("http_429", "{\"error\":\"rate limited\"}", Duration.ofSeconds(3)));
        assertThat(HttpPaymentGateway.toOutcome(response(502, null)))
                .isEqualTo(new GatewayOutcome.Ambiguous("http_502", ""));
        assertThat(HttpPaymentGateway.toOutcome(response(422, "bad")))
                .isEqualTo(new GatewayOutcome.Rejected(422, "bad"));
        assertThat(HttpPaymentGateway.toOutcome(response(401, "no")))
                .isEqualTo(new GatewayOutcome.Retryable("http_401", "gateway refused the API key: no", null));
        assertThat(HttpPaymentGateway.toOutcome(response(302, "")))
                .isEqualTo(new GatewayOutcome.Ambiguous("http_302", "redirect 302 not followed"));
        assertThat(HttpPaymentGateway.toOutcome(response(409, "{}")))
                .isEqualTo(new GatewayOutcome.InProgress(null));
    }

    @Test
    void lookUpAnswersGoThroughTheClassifier() {
        assertThat(HttpPaymentGateway.toLookup(response(200, "{\"id\":\"ch_1\",\"status\":\"succeeded\"}")))
                .isEqualTo(new ChargeLookup.Found(new GatewayOutcome.Approved("ch_1")));
        assertThat(HttpPaymentGateway.toLookup(response(404, "{\"status\":\"not_found\"}")))
                .isEqualTo(new ChargeLookup.NotFound());
        assertThat(HttpPaymentGateway.toLookup(response(200, "garbage")))
                .isInstanceOf(ChargeLookup.Failed.class);
        assertThat(HttpPaymentGateway.toLookup(response(500, "")))
                .isEqualTo(new ChargeLookup.Failed("http_500", "look-up answered 500"));
    }
}
