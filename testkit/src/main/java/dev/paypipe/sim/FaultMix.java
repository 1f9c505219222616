package dev.paypipe.sim;

import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Named spreads of gateway faults for tests and {@code --fault-mix}. Each mix has charge fault rates at
 * its {@link #defaultRate()} (they sum to it) and may be scaled to another total with
 * {@link #apply(SimulatorConfig.Builder, double)}; look-up fault rates are not scaled.
 *
 * <ul>
 *   <li>{@code none}: no faults at all.
 *   <li>{@code transient}: faults that never charge, 10 % by default: 40 % of them {@code 500}, 20 %
 *       {@code 429} with {@code Retry-After}, 20 % {@code 503}, 20 % timeouts before charging.
 *   <li>{@code hostile}: what a bad day at a real gateway looks like, a third of charge attempts (33.5 %):
 *       8 % {@code 429} + {@code Retry-After}, 6 % {@code 503} + {@code Retry-After}, 6 % {@code 500},
 *       3 % timeouts before and 3 % after charging, 2 % resets after charging, 2 % {@code 500} after
 *       charging, 1.5 % garbage {@code 200}, 1.5 % incomplete {@code 200}, 0.5 % slow drip at 200 ms per
 *       byte; and 10 % of look-ups fail (7 % {@code 500}, 3 % time out). The two outages of a bad day are
 *       {@link #hostileOutages(Duration, Duration)}.
 * </ul>
 */
public enum FaultMix {
    NONE(Map.of(), 0, 0),
    TRANSIENT(Map.of(
            InjectedFault.SERVER_ERROR, 0.04,
            InjectedFault.RATE_LIMIT, 0.02,
            InjectedFault.UNAVAILABLE, 0.02,
            InjectedFault.TIMEOUT_BEFORE_CHARGE, 0.02), 0, 0),
    HOSTILE(Map.ofEntries(
            Map.entry(InjectedFault.RATE_LIMIT, 0.08),
            Map.entry(InjectedFault.UNAVAILABLE, 0.06),
            Map.entry(InjectedFault.SERVER_ERROR, 0.06),
            Map.entry(InjectedFault.TIMEOUT_BEFORE_CHARGE, 0.03),
            Map.entry(InjectedFault.TIMEOUT_AFTER_CHARGE, 0.03),
            Map.entry(InjectedFault.RESET_AFTER_CHARGE, 0.02),
            Map.entry(InjectedFault.SERVER_ERROR_AFTER_CHARGE, 0.02),
            Map.entry(InjectedFault.GARBAGE_200, 0.015),
            Map.entry(InjectedFault.INCOMPLETE_200, 0.015),
            Map.entry(InjectedFault.SLOW_DRIP, 0.005)), 0.07, 0.03);

    /** The 503 outage of a bad day. */
    public static final Duration UNAVAILABLE_OUTAGE = Duration.ofSeconds(15);
    /** The outage of a bad day that answers nothing at all ({@link OutageMode#HANG}). */
    public static final Duration HANGING_OUTAGE = Duration.ofSeconds(10);
    /** Drip speed of {@link InjectedFault#SLOW_DRIP} in the hostile mix. */
    public static final Duration HOSTILE_DRIP_INTERVAL = Duration.ofMillis(200);

    private final Map<InjectedFault, Double> rates;
    private final double defaultRate;
    private final double lookupFailureRate;
    private final double lookupTimeoutRate;

    FaultMix(Map<InjectedFault, Double> rates, double lookupFailureRate, double lookupTimeoutRate) {
        EnumMap<InjectedFault, Double> all = new EnumMap<>(InjectedFault.class);
        for (InjectedFault fault : InjectedFault.values()) {
            all.put(fault, rates.getOrDefault(fault, 0.0));
        }
        this.rates = Collections.unmodifiableMap(all);
        this.defaultRate = all.values().stream().mapToDouble(Double::doubleValue).sum();
        this.lookupFailureRate = lookupFailureRate;
        this.lookupTimeoutRate = lookupTimeoutRate;
    }

    /** {@code none}, {@code transient} or {@code hostile}, in any case; a bad name lists the good ones. */
    public static FaultMix parse(String name) {
        for (FaultMix mix : values()) {
            if (mix.cliName().equalsIgnoreCase(name == null ? "" : name.trim())) {
                return mix;
            }
        }
        throw new IllegalArgumentException("unknown fault mix '" + name + "'; expected one of "
                + Arrays.stream(values()).map(FaultMix::cliName).collect(Collectors.joining(", ")));
    }

    /** The name on the command line: {@code none}, {@code transient}, {@code hostile}. */
    public String cliName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The share of charge attempts that meet a fault: 0, 0.1 and 0.335. */
    public double defaultRate() {
        return defaultRate;
    }

    /** Each charge fault's rate at the default total; zero for faults the mix does not use. */
    public Map<InjectedFault, Double> rates() {
        return rates;
    }

    /** Replaces every fault rate of {@code builder} with this mix at its default rate. */
    public SimulatorConfig.Builder apply(SimulatorConfig.Builder builder) {
        return apply(builder, defaultRate);
    }

    /**
     * Replaces every fault rate with this mix's spread scaled so the charge faults sum to
     * {@code faultRate} (0..1); {@code none} stays fault-free whatever the rate. Also sets
     * {@code retryAfterSeconds} to 1 and, for {@code hostile}, the 200 ms drip interval.
     */
    public SimulatorConfig.Builder apply(SimulatorConfig.Builder builder, double faultRate) {
        if (!(faultRate >= 0.0 && faultRate <= 1.0)) {
            throw new IllegalArgumentException("faultRate must be in [0, 1], got " + faultRate);
        }
        builder.noFaults().retryAfterSeconds(1);
        if (defaultRate == 0) {
            return builder;
        }
        double scale = faultRate / defaultRate;
        builder.timeoutBeforeChargeRate(scaled(InjectedFault.TIMEOUT_BEFORE_CHARGE, scale))
                .timeoutAfterChargeRate(scaled(InjectedFault.TIMEOUT_AFTER_CHARGE, scale))
                .serverErrorRate(scaled(InjectedFault.SERVER_ERROR, scale))
                .rateLimitRate(scaled(InjectedFault.RATE_LIMIT, scale))
                .unavailableRate(scaled(InjectedFault.UNAVAILABLE, scale))
                .resetAfterChargeRate(scaled(InjectedFault.RESET_AFTER_CHARGE, scale))
                .serverErrorAfterChargeRate(scaled(InjectedFault.SERVER_ERROR_AFTER_CHARGE, scale))
                .garbage200Rate(scaled(InjectedFault.GARBAGE_200, scale))
                .incomplete200Rate(scaled(InjectedFault.INCOMPLETE_200, scale))
                .slowDripRate(scaled(InjectedFault.SLOW_DRIP, scale))
                .lookupFailureRate(lookupFailureRate)
                .lookupTimeoutRate(lookupTimeoutRate);
        if (this == HOSTILE) {
            builder.dripInterval(HOSTILE_DRIP_INTERVAL);
        }
        return builder;
    }

    private double scaled(InjectedFault fault, double scale) {
        return rates.get(fault) * scale;
    }

    /**
     * The two outages of a bad day, as windows relative to their reference point (server start in
     * {@link SimulatorConfig.Builder#outages}, the call in {@link GatewaySimulator#scheduleOutages}): 15 s
     * answering {@code 503} from {@code firstAfter}, then, {@code gap} after it ends, 10 s that hang.
     */
    public static List<OutageWindow> hostileOutages(Duration firstAfter, Duration gap) {
        if (gap.isNegative()) {
            throw new IllegalArgumentException("gap between outages must be >= 0, got " + gap);
        }
        return List.of(new OutageWindow(firstAfter, UNAVAILABLE_OUTAGE, OutageMode.UNAVAILABLE),
                new OutageWindow(firstAfter.plus(UNAVAILABLE_OUTAGE).plus(gap), HANGING_OUTAGE, OutageMode.HANG));
    }
}
