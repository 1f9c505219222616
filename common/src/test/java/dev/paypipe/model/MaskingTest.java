package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MaskingTest {
    @Test
    void showsOnlyTheLastFourCharactersOfALongToken() {
        assertThat(Masking.token("tok_visa_4242424242")).isEqualTo("****4242");
    }

    @Test
    void masksShortTokensCompletely() {
        assertThat(Masking.token("12345678")).isEqualTo("****");
        assertThat(Masking.token("")).isEqualTo("****");
    }

    @Test
    void rendersNullAsTheWordNull() {
        assertThat(Masking.token(null)).isEqualTo("null");
    }

    @Test
    void neverShowsASecretOnlyWhetherItIsSet() {
        assertThat(Masking.secret("sk_live_abcdef")).isEqualTo("<set>");
        assertThat(Masking.secret("")).isEqualTo("<unset>");
        assertThat(Masking.secret(null)).isEqualTo("<unset>");
    }
}
