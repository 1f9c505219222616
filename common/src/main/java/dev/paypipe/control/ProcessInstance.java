package dev.paypipe.control;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Instant;
import java.util.Objects;

/**
 * Who a process is in {@code paypipe status}: {@code <role>-<host>-<pid>} unless configured, its
 * role ({@code payment-worker}, {@code db-writer}, {@code ledger}), host and start time.
 */
public record ProcessInstance(String instanceId, String role, String host, Instant startedAt) {
    public ProcessInstance {
        Objects.requireNonNull(instanceId, "instanceId");
        Objects.requireNonNull(role, "role");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(startedAt, "startedAt");
    }

    public static ProcessInstance current(String role, Instant startedAt) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            host = "unknown-host";
        }
        return new ProcessInstance(role + "-" + host + "-" + ProcessHandle.current().pid(), role, host, startedAt);
    }

    /** A report for this process; {@code pausedBy}/{@code pauseReason} are null when not paused. */
    public StatusReport report(Instant at, boolean paused, String pausedBy, String pauseReason, String breaker,
            long inFlight, java.util.Map<String, Long> lag, java.util.Map<String, Long> retryBacklog,
            java.util.Map<String, String> details) {
        return new StatusReport(instanceId, role, host, startedAt, at, paused, pausedBy, pauseReason, breaker, inFlight,
                lag, retryBacklog, details);
    }
}
