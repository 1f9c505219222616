package dev.paypipe.control;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes this process's {@link StatusReport} to the control topic every {@code interval}
 * (default {@value #DEFAULT_INTERVAL_SECONDS} s) and a tombstone on close. {@code paypipe status}
 * treats a heartbeat older than three intervals as a dead process.
 */
public final class StatusHeartbeat implements AutoCloseable {
    public static final int DEFAULT_INTERVAL_SECONDS = 5;
    private static final Logger log = LoggerFactory.getLogger(StatusHeartbeat.class);

    private final ControlPublisher publisher;
    private final StatusSource source;
    private final Clock clock;
    private final ScheduledExecutorService scheduler;
    private volatile String lastInstanceId;

    public StatusHeartbeat(ControlPublisher publisher, StatusSource source, Clock clock, Duration interval) {
        this.publisher = publisher;
        this.source = source;
        this.clock = clock;
        this.scheduler = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "paypipe-status-heartbeat");
            t.setDaemon(true);
            return t;
        });
        scheduler.scheduleWithFixedDelay(this::beat, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    void beat() {
        try {
            StatusReport report = source.status().withTime(clock.instant());
            lastInstanceId = report.instanceId();
            publisher.publishStatus(report);
        } catch (RuntimeException e) {
            // a missed heartbeat only makes this process look dead to paypipe status; keep trying
            log.atWarn().setMessage("status heartbeat not published").addKeyValue("event", "status_heartbeat_failed")
                    .addKeyValue("problem", e.getMessage()).log();
        }
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        String id = lastInstanceId;
        if (id != null) {
            try {
                publisher.retireStatus(id);
            } catch (RuntimeException e) {
                log.atWarn().setMessage("status tombstone not published; the instance ages out of paypipe status")
                        .addKeyValue("event", "status_retire_failed").addKeyValue("instanceId", id)
                        .addKeyValue("problem", e.getMessage()).log();
            }
        }
    }
}
