package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import dev.paypipe.json.PaymentJson;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Currency;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

class ActiveCurrenciesTest {
    private static final Instant NOW = Instant.parse("2026-01-31T12:00:00Z");

    @Test
    void everyActiveCodeTheJdkKnowsHasTheJdksFractionDigits() {
        for (String code : ActiveCurrencies.codes()) {
            Currency jdk;
            try {
                jdk = Currency.getInstance(code);
            } catch (IllegalArgumentException newerThanThisJdk) {
                continue;
            }
            assertThat(ActiveCurrencies.fractionDigits(code)).as(code).hasValue(jdk.getDefaultFractionDigits());
        }
        assertThat(ActiveCurrencies.codes()).hasSizeGreaterThan(150).contains("EUR", "USD", "JPY", "BHD", "XOF");
    }

    @ParameterizedTest
    @ValueSource(strings = {"TPE", "SKK", "DEM", "FRF", "ITL", "HRK", "LTL", "VEF", "ZWL", "BYR", "MRO", "CUC",
        "SLL", "ANG", "BGN"})
    void refusesWithdrawnCodesAsWithdrawn(String code) {
        assertThat(ActiveCurrencies.isActive(code)).isFalse();
        assertThat(problems(code)).contains("currency: '" + code + "' is withdrawn or not a chargeable currency");
    }

    @ParameterizedTest
    @ValueSource(strings = {"XAU", "XAG", "XDR", "XTS", "XXX", "BOV", "CLF", "USN", "MXV"})
    void refusesFundMetalAndTestCodes(String code) {
        assertThat(problems(code)).contains("currency: '" + code + "' is withdrawn or not a chargeable currency");
    }

    @Test
    void namesAMadeUpCodeAsNotIso() {
        assertThat(problems("ABC")).contains("currency: 'ABC' is not an ISO 4217 code");
    }

    @Test
    void acceptsEveryActiveCodeAtItsMinorUnits() {
        for (String code : ActiveCurrencies.codes()) {
            int digits = ActiveCurrencies.fractionDigits(code).orElseThrow();
            String amount = digits == 0 ? "12" : "12." + "5".repeat(digits);
            assertThat(check(code, amount).isValid()).as(code + " " + amount).isTrue();
        }
    }

    private static String problems(String currency) {
        return String.join("; ", check(currency, "12").problems());
    }

    private static RequestCheck check(String currency, String amount) {
        String json = "{\"paymentId\":\"pay-1\",\"orderId\":\"o-1\",\"amount\":\"" + amount + "\",\"currency\":\""
                + currency + "\",\"customerId\":\"c-1\",\"paymentMethod\":\"tok_1\",\"createdAt\":\"" + NOW + "\"}";
        return PaymentJson.decodeRequest("pay-1".getBytes(StandardCharsets.UTF_8),
                json.getBytes(StandardCharsets.UTF_8), RequestRules.defaults(Clock.fixed(NOW, ZoneOffset.UTC)));
    }
}
