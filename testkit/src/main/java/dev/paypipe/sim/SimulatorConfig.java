package dev.paypipe.sim;

import dev.paypipe.model.Masking;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Behaviour of the {@link GatewaySimulator}: latency, decline share, fault probabilities and outages.
 * Immutable and validated on construction; every bad value is named in the exception message.
 * Build with {@link #builder()} or start from {@link #defaults()} / {@link #toBuilder()}.
 *
 * <p>Charge fault rates ({@link InjectedFault}) are probabilities per {@code POST /v1/charges} attempt and
 * must sum to at most 1; they are drawn deterministically from {@code seed}, the idempotency key and the
 * attempt number. Look-up fault rates ({@link LookupFault}) are per {@code GET} and sum to at most 1 too.
 * Named mixes of them: {@link FaultMix}.
 *
 * @param latency response time of charges and lookups; default fixed 50 ms
 * @param declineRate share of charges declined ({@code 402}), decided per key from the seed; default 0
 * @param timeoutBeforeChargeRate the request is swallowed: nothing charged, {@code 504} after {@code hangTime}
 * @param timeoutAfterChargeRate the charge is recorded, then the response is held for {@code hangTime}
 * @param serverErrorRate {@code 500}, nothing charged
 * @param rateLimitRate {@code 429} with {@code Retry-After}, nothing charged
 * @param unavailableRate {@code 503} with {@code Retry-After}, nothing charged
 * @param resetAfterChargeRate charged and recorded, then the connection is reset with no response at all
 * @param serverErrorAfterChargeRate charged and recorded, then answered {@code 500}
 * @param garbage200Rate charged and recorded, then answered {@code 200} with a body that is not JSON
 * @param incomplete200Rate charged and recorded, then answered {@code 200} with JSON lacking {@code id} or
 *     {@code status}, or cut short
 * @param slowDripRate charged and recorded, then the real response drips one byte every {@code dripInterval}
 * @param dripInterval time between two bytes of a {@code slowDripRate} response; default 200 ms
 * @param lookupFailureRate share of {@code GET /v1/charges} answered {@code 500}; the ledger is untouched
 * @param lookupTimeoutRate share of {@code GET /v1/charges} held {@code hangTime}, then {@code 504}
 * @param retryAfterSeconds value of {@code Retry-After} on 429/503 faults; 0 omits the header; default 1
 * @param hangTime how long a timed-out request is held before it is answered; default 30 s, at most 5 min
 * @param outages scripted outage windows relative to server start; default none
 * @param outageMode what a charge sees during an outage whose window names no mode; default
 *     {@link OutageMode#UNAVAILABLE}
 * @param apiKey the only bearer token accepted; default {@code sk_test_paypipe}; never printed
 * @param seed makes declines, faults and charge ids reproducible; default 42
 */
public record SimulatorConfig(
        LatencyModel latency,
        double declineRate,
        double timeoutBeforeChargeRate,
        double timeoutAfterChargeRate,
        double serverErrorRate,
        double rateLimitRate,
        double unavailableRate,
        double resetAfterChargeRate,
        double serverErrorAfterChargeRate,
        double garbage200Rate,
        double incomplete200Rate,
        double slowDripRate,
        Duration dripInterval,
        double lookupFailureRate,
        double lookupTimeoutRate,
        int retryAfterSeconds,
        Duration hangTime,
        List<OutageWindow> outages,
        OutageMode outageMode,
        String apiKey,
        long seed) {

    public static final String DEFAULT_API_KEY = "sk_test_paypipe";
    static final Duration MAX_HANG_TIME = Duration.ofMinutes(5);
    static final Duration MAX_DRIP_INTERVAL = Duration.ofMinutes(1);

    public SimulatorConfig {
        Objects.requireNonNull(latency, "latency");
        requireRate("declineRate", declineRate);
        requireRate("timeoutBeforeChargeRate", timeoutBeforeChargeRate);
        requireRate("timeoutAfterChargeRate", timeoutAfterChargeRate);
        requireRate("serverErrorRate", serverErrorRate);
        requireRate("rateLimitRate", rateLimitRate);
        requireRate("unavailableRate", unavailableRate);
        requireRate("resetAfterChargeRate", resetAfterChargeRate);
        requireRate("serverErrorAfterChargeRate", serverErrorAfterChargeRate);
        requireRate("garbage200Rate", garbage200Rate);
        requireRate("incomplete200Rate", incomplete200Rate);
        requireRate("slowDripRate", slowDripRate);
        requireRate("lookupFailureRate", lookupFailureRate);
        requireRate("lookupTimeoutRate", lookupTimeoutRate);
        double faults = timeoutBeforeChargeRate + timeoutAfterChargeRate + serverErrorRate + rateLimitRate
                + unavailableRate + resetAfterChargeRate + serverErrorAfterChargeRate + garbage200Rate
                + incomplete200Rate + slowDripRate;
        if (faults > 1.0 + 1e-9) {
            throw new IllegalArgumentException("charge fault rates (timeoutBeforeChargeRate + timeoutAfterChargeRate"
                    + " + serverErrorRate + rateLimitRate + unavailableRate + resetAfterChargeRate"
                    + " + serverErrorAfterChargeRate + garbage200Rate + incomplete200Rate + slowDripRate)"
                    + " must sum to <= 1, got " + faults);
        }
        if (lookupFailureRate + lookupTimeoutRate > 1.0 + 1e-9) {
            throw new IllegalArgumentException("look-up fault rates (lookupFailureRate + lookupTimeoutRate) must sum"
                    + " to <= 1, got " + (lookupFailureRate + lookupTimeoutRate));
        }
        Objects.requireNonNull(dripInterval, "dripInterval");
        if (dripInterval.isNegative() || dripInterval.isZero() || dripInterval.compareTo(MAX_DRIP_INTERVAL) > 0) {
            throw new IllegalArgumentException("dripInterval must be > 0 and <= " + MAX_DRIP_INTERVAL + ", got "
                    + dripInterval);
        }
        if (retryAfterSeconds < 0) {
            throw new IllegalArgumentException("retryAfterSeconds must be >= 0 (0 omits the header), got "
                    + retryAfterSeconds);
        }
        Objects.requireNonNull(hangTime, "hangTime");
        if (hangTime.isNegative() || hangTime.isZero() || hangTime.compareTo(MAX_HANG_TIME) > 0) {
            throw new IllegalArgumentException("hangTime must be > 0 and <= " + MAX_HANG_TIME + ", got " + hangTime);
        }
        outages = List.copyOf(Objects.requireNonNull(outages, "outages"));
        Objects.requireNonNull(outageMode, "outageMode");
        if (apiKey == null || apiKey.isBlank()) {
            throw new IllegalArgumentException("apiKey must not be blank");
        }
    }

    /** Healthy gateway: fixed 50 ms latency, no declines, no faults, no outages. */
    public static SimulatorConfig defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.latency = latency;
        b.declineRate = declineRate;
        b.timeoutBeforeChargeRate = timeoutBeforeChargeRate;
        b.timeoutAfterChargeRate = timeoutAfterChargeRate;
        b.serverErrorRate = serverErrorRate;
        b.rateLimitRate = rateLimitRate;
        b.unavailableRate = unavailableRate;
        b.resetAfterChargeRate = resetAfterChargeRate;
        b.serverErrorAfterChargeRate = serverErrorAfterChargeRate;
        b.garbage200Rate = garbage200Rate;
        b.incomplete200Rate = incomplete200Rate;
        b.slowDripRate = slowDripRate;
        b.dripInterval = dripInterval;
        b.lookupFailureRate = lookupFailureRate;
        b.lookupTimeoutRate = lookupTimeoutRate;
        b.retryAfterSeconds = retryAfterSeconds;
        b.hangTime = hangTime;
        b.outages = new ArrayList<>(outages);
        b.outageMode = outageMode;
        b.apiKey = apiKey;
        b.seed = seed;
        return b;
    }

    /** Readable one-liner for logs; the API key is masked. */
    @Override
    public String toString() {
        return "SimulatorConfig[latency=" + latency + ", declineRate=" + declineRate
                + ", timeoutBeforeChargeRate=" + timeoutBeforeChargeRate
                + ", timeoutAfterChargeRate=" + timeoutAfterChargeRate + ", serverErrorRate=" + serverErrorRate
                + ", rateLimitRate=" + rateLimitRate + ", unavailableRate=" + unavailableRate
                + ", resetAfterChargeRate=" + resetAfterChargeRate
                + ", serverErrorAfterChargeRate=" + serverErrorAfterChargeRate + ", garbage200Rate=" + garbage200Rate
                + ", incomplete200Rate=" + incomplete200Rate + ", slowDripRate=" + slowDripRate
                + ", dripInterval=" + dripInterval.toMillis() + " ms, lookupFailureRate=" + lookupFailureRate
                + ", lookupTimeoutRate=" + lookupTimeoutRate
                + ", retryAfterSeconds=" + retryAfterSeconds + ", hangTime=" + hangTime.toMillis() + " ms"
                + ", outages=" + outages + ", outageMode=" + outageMode + ", apiKey=" + Masking.secret(apiKey)
                + ", seed=" + seed + "]";
    }

    /** The probability of {@code fault} per charge attempt. */
    public double faultRate(InjectedFault fault) {
        return switch (fault) {
            case TIMEOUT_BEFORE_CHARGE -> timeoutBeforeChargeRate;
            case TIMEOUT_AFTER_CHARGE -> timeoutAfterChargeRate;
            case SERVER_ERROR -> serverErrorRate;
            case RATE_LIMIT -> rateLimitRate;
            case UNAVAILABLE -> unavailableRate;
            case RESET_AFTER_CHARGE -> resetAfterChargeRate;
            case SERVER_ERROR_AFTER_CHARGE -> serverErrorAfterChargeRate;
            case GARBAGE_200 -> garbage200Rate;
            case INCOMPLETE_200 -> incomplete200Rate;
            case SLOW_DRIP -> slowDripRate;
        };
    }

    /** The sum of every charge fault rate: the share of charge attempts that meet a fault. */
    public double totalFaultRate() {
        double total = 0;
        for (InjectedFault fault : InjectedFault.values()) {
            total += faultRate(fault);
        }
        return total;
    }

    /** The probability of {@code fault} per look-up. */
    public double lookupFaultRate(LookupFault fault) {
        return switch (fault) {
            case FAILURE -> lookupFailureRate;
            case TIMEOUT -> lookupTimeoutRate;
        };
    }

    private static void requireRate(String field, double value) {
        if (!(value >= 0.0 && value <= 1.0)) {
            throw new IllegalArgumentException(field + " must be a probability in [0, 1], got " + value);
        }
    }

    /** Mutable builder; {@link #build()} validates. */
    public static final class Builder {
        private LatencyModel latency = LatencyModel.fixed(Duration.ofMillis(50));
        private double declineRate;
        private double timeoutBeforeChargeRate;
        private double timeoutAfterChargeRate;
        private double serverErrorRate;
        private double rateLimitRate;
        private double unavailableRate;
        private double resetAfterChargeRate;
        private double serverErrorAfterChargeRate;
        private double garbage200Rate;
        private double incomplete200Rate;
        private double slowDripRate;
        private Duration dripInterval = Duration.ofMillis(200);
        private double lookupFailureRate;
        private double lookupTimeoutRate;
        private int retryAfterSeconds = 1;
        private Duration hangTime = Duration.ofSeconds(30);
        private List<OutageWindow> outages = new ArrayList<>();
        private OutageMode outageMode = OutageMode.UNAVAILABLE;
        private String apiKey = DEFAULT_API_KEY;
        private long seed = 42;

        private Builder() {
        }

        public Builder latency(LatencyModel latency) {
            this.latency = latency;
            return this;
        }

        /** Shorthand for {@code latency(LatencyModel.fixed(latency))}. */
        public Builder latency(Duration latency) {
            this.latency = LatencyModel.fixed(latency);
            return this;
        }

        public Builder declineRate(double declineRate) {
            this.declineRate = declineRate;
            return this;
        }

        public Builder timeoutBeforeChargeRate(double rate) {
            this.timeoutBeforeChargeRate = rate;
            return this;
        }

        public Builder timeoutAfterChargeRate(double rate) {
            this.timeoutAfterChargeRate = rate;
            return this;
        }

        public Builder serverErrorRate(double rate) {
            this.serverErrorRate = rate;
            return this;
        }

        public Builder rateLimitRate(double rate) {
            this.rateLimitRate = rate;
            return this;
        }

        public Builder unavailableRate(double rate) {
            this.unavailableRate = rate;
            return this;
        }

        /** Charged and recorded, then the connection is reset (TCP RST) before any byte of the response. */
        public Builder resetAfterChargeRate(double rate) {
            this.resetAfterChargeRate = rate;
            return this;
        }

        /** Charged and recorded, then answered {@code 500}. */
        public Builder serverErrorAfterChargeRate(double rate) {
            this.serverErrorAfterChargeRate = rate;
            return this;
        }

        /** Charged and recorded, then answered {@code 200} with a body that is not JSON. */
        public Builder garbage200Rate(double rate) {
            this.garbage200Rate = rate;
            return this;
        }

        /** Charged and recorded, then answered {@code 200} with JSON lacking {@code id} or {@code status}, or cut short. */
        public Builder incomplete200Rate(double rate) {
            this.incomplete200Rate = rate;
            return this;
        }

        /** Charged and recorded, then the real response drips one byte every {@link #dripInterval(Duration)}. */
        public Builder slowDripRate(double rate) {
            this.slowDripRate = rate;
            return this;
        }

        public Builder dripInterval(Duration interval) {
            this.dripInterval = interval;
            return this;
        }

        /** Share of look-ups answered {@code 500}. */
        public Builder lookupFailureRate(double rate) {
            this.lookupFailureRate = rate;
            return this;
        }

        /** Share of look-ups held {@code hangTime}, then answered {@code 504}. */
        public Builder lookupTimeoutRate(double rate) {
            this.lookupTimeoutRate = rate;
            return this;
        }

        /** Sets every charge and look-up fault rate back to zero (latency, declines and outages are kept). */
        public Builder noFaults() {
            timeoutBeforeChargeRate = 0;
            timeoutAfterChargeRate = 0;
            serverErrorRate = 0;
            rateLimitRate = 0;
            unavailableRate = 0;
            resetAfterChargeRate = 0;
            serverErrorAfterChargeRate = 0;
            garbage200Rate = 0;
            incomplete200Rate = 0;
            slowDripRate = 0;
            lookupFailureRate = 0;
            lookupTimeoutRate = 0;
            return this;
        }

        public Builder retryAfterSeconds(int seconds) {
            this.retryAfterSeconds = seconds;
            return this;
        }

        public Builder hangTime(Duration hangTime) {
            this.hangTime = hangTime;
            return this;
        }

        /** Adds a scripted outage starting {@code startAfterServerStart} after start, lasting {@code length}. */
        public Builder outage(Duration startAfterServerStart, Duration length) {
            this.outages.add(new OutageWindow(startAfterServerStart, length));
            return this;
        }

        /** Adds a scripted outage with its own mode, e.g. the 10 s outage that hangs ({@link OutageMode#HANG}). */
        public Builder outage(Duration startAfterServerStart, Duration length, OutageMode mode) {
            this.outages.add(new OutageWindow(startAfterServerStart, length, Objects.requireNonNull(mode, "outage.mode")));
            return this;
        }

        public Builder outages(List<OutageWindow> outages) {
            this.outages = new ArrayList<>(outages);
            return this;
        }

        public Builder outageMode(OutageMode outageMode) {
            this.outageMode = outageMode;
            return this;
        }

        public Builder apiKey(String apiKey) {
            this.apiKey = apiKey;
            return this;
        }

        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        public SimulatorConfig build() {
            return new SimulatorConfig(latency, declineRate, timeoutBeforeChargeRate, timeoutAfterChargeRate,
                    serverErrorRate, rateLimitRate, unavailableRate, resetAfterChargeRate, serverErrorAfterChargeRate,
                    garbage200Rate, incomplete200Rate, slowDripRate, dripInterval, lookupFailureRate,
                    lookupTimeoutRate, retryAfterSeconds, hangTime, outages,
                    outageMode, apiKey, seed);
        }
    }
}
