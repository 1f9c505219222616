package dev.paypipe.kafka;

import java.time.Duration;
import java.util.Objects;

/**
 * The names of paypipe's topics. {@code accepted} and {@code outcomes} are internal to the pipeline:
 * the ledger's door forwards each new valid request to {@code accepted}, the worker publishes its
 * at-least-once decisions to {@code outcomes}, and the ledger's exit passes exactly one final
 * result per payment on to {@code results}. All three are co-partitioned with {@code requests}.
 *
 * <p> {@link #defaults()} is the production layout; tests and the demo
 * use {@link #withPrefix(String)} so each run gets fresh topics on a shared broker.
 */
public record TopicLayout(
        String requests,
        String results,
        String requestsDlq,
        String resultsDlq,
        String control,
        String retryPrefix,
        String accepted,
        String outcomes) {

    public TopicLayout {
        Objects.requireNonNull(requests, "requests");
        Objects.requireNonNull(results, "results");
        Objects.requireNonNull(requestsDlq, "requestsDlq");
        Objects.requireNonNull(resultsDlq, "resultsDlq");
        Objects.requireNonNull(control, "control");
        Objects.requireNonNull(retryPrefix, "retryPrefix");
        Objects.requireNonNull(accepted, "accepted");
        Objects.requireNonNull(outcomes, "outcomes");
    }

    public static TopicLayout defaults() {
        return withPrefix("");
    }

    public static TopicLayout withPrefix(String prefix) {
        return new TopicLayout(prefix + "payment-requests", prefix + "payment-results",
                prefix + "payment-requests-dlq", prefix + "payment-results-dlq", prefix + "paypipe-control",
                prefix + "payment-requests-retry-", prefix + "payment-accepted", prefix + "payment-outcomes");
    }

    /** {@code payment-requests-retry-30s}, {@code payment-requests-retry-2m}, ... */
    public String retryTier(Duration delay) {
        return retryPrefix + RetryTierNames.label(delay);
    }

    /** Human labels for tier delays: whole minutes as {@code 2m}, else seconds as {@code 30s}. */
    static final class RetryTierNames {
        private RetryTierNames() {
        }

        static String label(Duration delay) {
            long seconds = delay.toSeconds();
            if (seconds <= 0 || delay.toMillis() % 1000 != 0) {
                return delay.toMillis() + "ms";
            }
            if (seconds % 3600 == 0) {
                return seconds / 3600 + "h";
            }
            if (seconds % 60 == 0) {
                return seconds / 60 + "m";
            }
            return seconds + "s";
        }
    }
}
