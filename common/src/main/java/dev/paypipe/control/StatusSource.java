package dev.paypipe.control;

/**
 * Supplies this process's current {@link StatusReport}; called by the heartbeat (every few seconds)
 * and by {@code GET /admin/status}. Must be cheap and thread-safe: read gauges, do not call Kafka.
 */
@FunctionalInterface
public interface StatusSource {
    StatusReport status();
}
