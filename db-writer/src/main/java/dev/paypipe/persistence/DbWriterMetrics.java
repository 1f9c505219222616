package dev.paypipe.persistence;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

/**
 * The db-writer's meters. Hikari adds its own ({@code hikaricp.connections.*}, pool
 * {@code paypipe-db-writer}) through the same registry.
 */
public final class DbWriterMetrics {
    private final DistributionSummary batchRecords;
    private final DistributionSummary batchRows;
    private final Timer batchLatency;
    private final Counter rowsWritten;
    private final Counter deadLettersUndecodable;
    private final Counter deadLettersRejected;
    private final Counter writeFailures;
    private final AtomicLong rowsWrittenTotal = new AtomicLong();

    public DbWriterMetrics(MeterRegistry registry, BooleanSupplier ready) {
        batchRecords = DistributionSummary.builder("paypipe.db.batch.records")
                .description("records per poll batch").publishPercentiles(0.5, 0.99).register(registry);
        batchRows = DistributionSummary.builder("paypipe.db.batch.rows")
                .description("rows upserted per batch after collapsing duplicates").register(registry);
        batchLatency = Timer.builder("paypipe.db.batch.latency")
                .description("one batch: borrow a connection, upsert, commit")
                .publishPercentiles(0.5, 0.99).register(registry);
        rowsWritten = Counter.builder("paypipe.db.rows.written")
                .description("rows inserted or updated").register(registry);
        deadLettersUndecodable = Counter.builder("paypipe.db.dead.letters").tag("reason", "undecodable")
                .register(registry);
        deadLettersRejected = Counter.builder("paypipe.db.dead.letters").tag("reason", "rejected-by-database")
                .register(registry);
        writeFailures = Counter.builder("paypipe.db.write.failures")
                .description("batch attempts that failed and will be retried (database unavailable)")
                .register(registry);
        registry.gauge("paypipe.db.ready", ready, r -> r.getAsBoolean() ? 1 : 0);
    }

    public void batch(int records, int rows, int changed, Duration latency) {
        batchRecords.record(records);
        batchRows.record(rows);
        batchLatency.record(latency);
        rowsWritten.increment(changed);
        rowsWrittenTotal.addAndGet(changed);
    }

    public void deadLetters(int undecodable, int rejected) {
        deadLettersUndecodable.increment(undecodable);
        deadLettersRejected.increment(rejected);
    }

    public void writeFailure() {
        writeFailures.increment();
    }

    public long rowsWritten() {
        return rowsWrittenTotal.get();
    }
}
