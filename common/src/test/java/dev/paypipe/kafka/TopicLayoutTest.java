package dev.paypipe.kafka;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class TopicLayoutTest {
    @Test
    void defaultsAreTheDocumentedTopicNames() {
        TopicLayout topics = TopicLayout.defaults();

        assertThat(topics.requests()).isEqualTo("payment-requests");
        assertThat(topics.results()).isEqualTo("payment-results");
        assertThat(topics.requestsDlq()).isEqualTo("payment-requests-dlq");
        assertThat(topics.resultsDlq()).isEqualTo("payment-results-dlq");
        assertThat(topics.control()).isEqualTo("paypipe-control");
        assertThat(topics.retryPrefix()).isEqualTo("payment-requests-retry-");
    }

    @ParameterizedTest
    @CsvSource({"PT1S,1s", "PT5S,5s", "PT30S,30s", "PT2M,2m", "PT10M,10m", "PT0.25S,250ms", "PT1.5S,1500ms",
        "PT90S,90s", "PT1H,1h", "PT2H30M,150m"})
    void namesRetryTiersByTheirDelay(Duration delay, String label) {
        assertThat(TopicLayout.defaults().retryTier(delay)).isEqualTo("payment-requests-retry-" + label);
    }

    @Test
    void prefixesEveryTopicIncludingRetryTiers() {
        TopicLayout topics = TopicLayout.withPrefix("it-42.");

        assertThat(topics.requests()).isEqualTo("it-42.payment-requests");
        assertThat(topics.results()).isEqualTo("it-42.payment-results");
        assertThat(topics.requestsDlq()).isEqualTo("it-42.payment-requests-dlq");
        assertThat(topics.resultsDlq()).isEqualTo("it-42.payment-results-dlq");
        assertThat(topics.control()).isEqualTo("it-42.paypipe-control");
        assertThat(topics.retryTier(Duration.ofSeconds(30))).isEqualTo("it-42.payment-requests-retry-30s");
    }
}
