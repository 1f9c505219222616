package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PaymentRequestTest {
    private static final String TOKEN = "tok_visa_4242424242";

    private static PaymentRequest request(String paymentMethod, Map<String, String> metadata) {
        return new PaymentRequest("pay-1", "order-1", new BigDecimal("12.50"), "EUR", "cus-1", paymentMethod,
                Instant.parse("2026-01-31T12:00:00Z"), metadata);
    }

    @Test
    void toStringMasksThePaymentMethod() {
        String text = request(TOKEN, Map.of()).toString();

        assertThat(text).doesNotContain(TOKEN).doesNotContain("tok_visa").contains("paymentMethod=****4242")
                .contains("paymentId=pay-1", "amount=12.50", "currency=EUR");
    }

    @Test
    void toStringOfAShortTokenShowsNoneOfIt() {
        assertThat(request("tok_1234", Map.of()).toString()).doesNotContain("tok_1234").contains("paymentMethod=****");
    }

    @Test
    void toStringShowsOnlyTheMetadataCountNotItsValues() {
        String text = request(TOKEN, Map.of("email", "jane@example.com")).toString();

        assertThat(text).doesNotContain("jane@example.com").contains("metadata=1 entries");
    }

    @Test
    void wrappersAroundARequestDoNotLeakTheToken() {
        PaymentRequest request = request(TOKEN, Map.of());

        assertThat(RequestCheck.valid(request).toString()).doesNotContain(TOKEN);
        assertThat(List.of(request).toString()).doesNotContain(TOKEN);
    }

    @Test
    void copiesMetadataAndTreatsNullAsEmpty() {
        Map<String, String> metadata = new HashMap<>(Map.of("k", "v"));
        PaymentRequest request = request(TOKEN, metadata);
        metadata.put("later", "x");

        assertThat(request.metadata()).containsOnlyKeys("k");
        assertThat(request(TOKEN, null).metadata()).isEmpty();
    }

    @Test
    void refusesMissingRequiredFieldsByName() {
        assertThatNullPointerException().isThrownBy(() -> request(null, Map.of())).withMessage("paymentMethod");
    }
}
