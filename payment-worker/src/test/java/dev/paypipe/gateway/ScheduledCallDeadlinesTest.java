package dev.paypipe.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class ScheduledCallDeadlinesTest {

    @Test
    void cancelledExpiriesLeaveTheQueueAtOnce() {
        try (ScheduledCallDeadlines deadlines = new ScheduledCallDeadlines("test-deadlines")) {
            CallDeadlines.Expiry[] expiries = new CallDeadlines.Expiry[10_000];
            for (int i = 0; i < expiries.length; i++) {
                expiries[i] = deadlines.schedule(Duration.ofMinutes(5), () -> {
                    throw new AssertionError("cancelled expiry ran");
                });
            }
            assertThat(deadlines.pending()).isEqualTo(10_000);

            for (CallDeadlines.Expiry expiry : expiries) {
                expiry.cancel();
            }

            assertThat(deadlines.pending()).isZero();
        }
    }

    @Test
    void anExpiryRunsOnceAndAFailingOneDoesNotStopTheTimer() throws Exception {
        try (ScheduledCallDeadlines deadlines = new ScheduledCallDeadlines("test-deadlines")) {
            deadlines.schedule(Duration.ZERO, () -> {
                throw new IllegalStateException("expiry bug");
            });
            CompletableFuture<String> fired = new CompletableFuture<>();
            CallDeadlines.Expiry expiry = deadlines.schedule(Duration.ofMillis(1), () -> fired.complete("fired"));

            assertThat(fired.get(10, TimeUnit.SECONDS)).isEqualTo("fired");
            expiry.cancel(); // harmless after it ran
            assertThat(deadlines.pending()).isZero();
        }
    }
}
