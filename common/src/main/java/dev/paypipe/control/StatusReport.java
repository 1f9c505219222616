package dev.paypipe.control;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One process's heartbeat: who it is, whether and why it is paused, its breaker state, the gateway
 * calls it has open, consumer lag per partition ({@code topic-partition} → records) and retry backlog
 * per tier (tier label such as {@code 30s} → records). {@code details} carries role-specific extras
 * (e.g. {@code db=ready}). {@code breaker} is {@code n/a} for processes without one.
 */
public record StatusReport(
        String instanceId,
        String role,
        String host,
        Instant startedAt,
        Instant at,
        boolean paused,
        String pausedBy,
        String pauseReason,
        String breaker,
        long inFlight,
        Map<String, Long> lag,
        Map<String, Long> retryBacklog,
        Map<String, String> details) {

    public StatusReport {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(at, "at");
        host = host == null ? "" : host;
        startedAt = startedAt == null ? at : startedAt;
        breaker = breaker == null ? "n/a" : breaker;
        lag = Map.copyOf(lag == null ? Map.of() : lag);
        retryBacklog = Map.copyOf(retryBacklog == null ? Map.of() : retryBacklog);
        details = Map.copyOf(details == null ? Map.of() : details);
    }

    /** True when the heartbeat is younger than {@code maxAge} at {@code now}. */
    public boolean isLive(Instant now, Duration maxAge) {
        return !at.isBefore(now.minus(maxAge));
    }

    public long totalLag() {
        return lag.values().stream().mapToLong(Long::longValue).sum();
    }

    /** The same report stamped at another time (the heartbeat re-sends it). */
    public StatusReport withTime(Instant time) {
        return new StatusReport(instanceId, role, host, startedAt, time, paused, pausedBy, pauseReason, breaker,
                inFlight, lag, retryBacklog, details);
    }

    /** Lag and backlog sorted by name, for printing. */
    public Map<String, Long> sortedLag() {
        return new TreeMap<>(lag);
    }
}
