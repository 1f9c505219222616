package dev.paypipe.retry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.paypipe.testing.FixedRandom;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RetryPolicyTest {
    private static final List<Duration> TIERS = RetryPolicy.DEFAULT_TIERS; // 1s, 5s, 30s, 2m, 10m
    private final RetryPolicy policy = new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofSeconds(60), 8);

    @Test
    void jitterStaysWithinZeroAndTheExponentialCeiling() {
        Random random = new Random(42);
        for (int attempt = 1; attempt <= 12; attempt++) {
            long ceiling = Math.min(60_000L, 500L << attempt);
            Set<Long> seen = new HashSet<>();
            for (int i = 0; i < 2_000; i++) {
                long delay = policy.backoff(attempt, null, random).toMillis();
                assertThat(delay).as("attempt %d", attempt).isBetween(0L, ceiling);
                seen.add(delay);
            }
            // Full jitter spreads the delays, it does not pin them to the ceiling.
            assertThat(seen).as("distinct delays for attempt %d", attempt).hasSizeGreaterThan(100);
        }
    }

    @Test
    void jitterReachesBothEndsOfTheRange() {
        assertThat(policy.backoff(1, null, FixedRandom.min())).isEqualTo(Duration.ZERO);
        assertThat(policy.backoff(1, null, FixedRandom.max())).isEqualTo(Duration.ofMillis(1000));
        assertThat(policy.backoff(3, null, FixedRandom.max())).isEqualTo(Duration.ofMillis(4000));
        assertThat(policy.backoff(20, null, FixedRandom.max())).isEqualTo(Duration.ofSeconds(60));
    }

    @Test
    void ceilingDoublesPerAttemptUntilTheCap() {
        assertThat(policy.ceilingMillis(0)).isEqualTo(500);
        assertThat(policy.ceilingMillis(1)).isEqualTo(1_000);
        assertThat(policy.ceilingMillis(2)).isEqualTo(2_000);
        assertThat(policy.ceilingMillis(6)).isEqualTo(32_000);
        assertThat(policy.ceilingMillis(7)).isEqualTo(60_000);
        assertThat(policy.ceilingMillis(8)).isEqualTo(60_000);
    }

    @Test
    void retryAfterRaisesTheDelayButNeverLowersIt() {
        assertThat(policy.backoff(1, Duration.ofSeconds(7), FixedRandom.min())).isEqualTo(Duration.ofSeconds(7));
        assertThat(policy.backoff(1, Duration.ofSeconds(7), FixedRandom.max())).isEqualTo(Duration.ofSeconds(7));
        // A hint shorter than the drawn jitter does not shorten the wait.
        assertThat(policy.backoff(5, Duration.ofSeconds(1), FixedRandom.max())).isEqualTo(Duration.ofSeconds(16));
        // A hint above the cap still wins: the gateway asked for it.
        assertThat(policy.backoff(1, Duration.ofMinutes(5), FixedRandom.max())).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void picksTheSmallestTierThatCoversTheDelay() {
        assertThat(policy.tierFor(Duration.ZERO)).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.tierFor(Duration.ofMillis(999))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.tierFor(Duration.ofSeconds(1))).isEqualTo(Duration.ofSeconds(1));
        assertThat(policy.tierFor(Duration.ofMillis(1001))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.tierFor(Duration.ofSeconds(5))).isEqualTo(Duration.ofSeconds(5));
        assertThat(policy.tierFor(Duration.ofSeconds(29))).isEqualTo(Duration.ofSeconds(30));
        assertThat(policy.tierFor(Duration.ofSeconds(31))).isEqualTo(Duration.ofMinutes(2));
        assertThat(policy.tierFor(Duration.ofMinutes(9))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void delaysLongerThanEveryTierGoToTheLongestTier() {
        assertThat(policy.tierFor(Duration.ofMinutes(10).plusMillis(1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.tierFor(Duration.ofHours(1))).isEqualTo(Duration.ofMinutes(10));
        assertThat(policy.tierFor(Duration.ofDays(365))).isEqualTo(Duration.ofMinutes(10));
    }

    @Test
    void largeAndNegativeAttemptNumbersDoNotOverflow() {
        RetryPolicy bigCap = new RetryPolicy(TIERS, Duration.ofMillis(500), Duration.ofDays(1), 100);
        for (int attempt : new int[] {30, 31, 32, 40, 41, 62, 63, 64, 100, 1_000, Integer.MAX_VALUE}) {
            assertThat(policy.ceilingMillis(attempt)).as("attempt %d", attempt).isEqualTo(60_000);
            assertThat(bigCap.ceilingMillis(attempt)).as("attempt %d", attempt).isEqualTo(Duration.ofDays(1).toMillis());
            assertThat(policy.backoff(attempt, null, new Random(attempt)).toMillis()).isBetween(0L, 60_000L);
        }
        assertThat(policy.ceilingMillis(-1)).isEqualTo(500);
        assertThat(policy.ceilingMillis(Integer.MIN_VALUE)).isEqualTo(500);
        // A base large enough that base << 40 would overflow a long is still capped.
        RetryPolicy hugeBase = new RetryPolicy(TIERS, Duration.ofDays(365), Duration.ofDays(3650), 3);
        assertThat(hugeBase.ceilingMillis(Integer.MAX_VALUE)).isEqualTo(Duration.ofDays(3650).toMillis());
    }

    @Test
    void canRetryUntilMaxAttemptsAreUsed() {
        RetryPolicy three = new RetryPolicy(TIERS, Duration.ofMillis(100), Duration.ofSeconds(1), 3);
        assertThat(three.canRetry(0)).isTrue();
        assertThat(three.canRetry(2)).isTrue();
        assertThat(three.canRetry(3)).isFalse();
        assertThat(new RetryPolicy(TIERS, Duration.ofMillis(100), Duration.ofSeconds(1), 1).canRetry(1)).isFalse();
    }

    @Test
    void copiesTheTierList() {
        List<Duration> tiers = new java.util.ArrayList<>(List.of(Duration.ofSeconds(1), Duration.ofSeconds(2)));
        RetryPolicy p = new RetryPolicy(tiers, Duration.ofMillis(100), Duration.ofSeconds(1), 3);
        tiers.add(Duration.ofSeconds(3));
        assertThat(p.tiers()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(2));
    }

    @Test
    void defaultsMatchTheDesign() {
        RetryPolicy d = RetryPolicy.defaults();
        assertThat(d.tiers()).containsExactly(Duration.ofSeconds(1), Duration.ofSeconds(5), Duration.ofSeconds(30),
                Duration.ofMinutes(2), Duration.ofMinutes(10));
        assertThat(d.maxAttempts()).isEqualTo(8);
    }

    @Test
    void rejectsInvalidConfigurationNamingTheKey() {
        Duration b = Duration.ofMillis(100);
        Duration c = Duration.ofSeconds(1);
        assertThatThrownBy(() -> new RetryPolicy(List.of(), b, c, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.tiers: at least one tier is required");
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(5), Duration.ofSeconds(1)), b, c, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("retry.tiers: must be strictly increasing, was [PT5S, PT1S]");
        assertThatThrownBy(() -> new RetryPolicy(List.of(Duration.ofSeconds(1), Duration.ofSeconds(1)), b, c, 3))
                .hasMessageStartingWith("retry.tiers: must be strictly increasing");
        assertThatThrownBy(() -> new RetryPolicy(TIERS, Duration.ZERO, c, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.base: must be positive, was PT0S");
        assertThatThrownBy(() -> new RetryPolicy(TIERS, Duration.ofMillis(-1), c, 3))
                .hasMessageStartingWith("retry.base: must be positive");
        assertThatThrownBy(() -> new RetryPolicy(TIERS, Duration.ofSeconds(2), c, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.cap: must be >= retry.base (PT2S), was PT1S");
        assertThatThrownBy(() -> new RetryPolicy(TIERS, b, c, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("retry.max-attempts: must be >= 1, was 0");
        assertThatThrownBy(() -> new RetryPolicy(null, b, c, 3)).isInstanceOf(NullPointerException.class)
                .hasMessage("tiers");
    }
}
