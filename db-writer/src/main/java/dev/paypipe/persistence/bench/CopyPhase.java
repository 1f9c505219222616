package dev.paypipe.persistence.bench;

import dev.paypipe.model.PaymentResult;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.ResultColumns;
import dev.paypipe.persistence.ResultRow;
import java.io.ByteArrayInputStream;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.postgresql.PGConnection;

/**
 * PostgreSQL's raw ingest ceiling, the one definition both the {@code db-writer} scenario and the
 * {@code ceilings} scenario use: C connections each {@code COPY} their share of the rows, encoded up
 * front exactly as the db-writer encodes them, in parallel into an empty {@code payment_results}
 * (same table, same indexes), one transaction each; rows / wall time from the start signal to the
 * last commit.
 */
final class CopyPhase {
    private static final String COPY = "COPY " + ResultColumns.TABLE + " (" + ResultColumns.LIST + ") FROM STDIN";

    private final DbWriterConfig config;
    private final List<byte[]> slices;
    private final int rows;

    /** Encodes the slices once: only PostgreSQL is timed. {@code config.schema()} must hold the migrated table. */
    CopyPhase(DbWriterConfig config, List<PaymentResult> results) {
        this.config = config;
        this.rows = results.size();
        int c = config.consumers();
        slices = new ArrayList<>(c);
        for (int s = 0; s < c; s++) {
            List<ResultRow> slice = new ArrayList<>();
            for (int i = s; i < results.size(); i += c) {
                slice.add(new ResultRow(results.get(i), s, i));
            }
            slices.add(ResultColumns.copyText(slice));
        }
    }

    /** One timed COPY of every row into the emptied table, after settling the previous phase. */
    Measurement measure() {
        BenchChores.truncate(config);
        BenchChores.settle(config);
        int c = config.consumers();
        ExecutorService pool = Executors.newFixedThreadPool(c);
        List<Connection> connections = new ArrayList<>();
        try {
            for (int s = 0; s < c; s++) {
                connections.add(BenchChores.connect(config, "paypipe-bench-copy"));
            }
            CpuMeter cpu = CpuMeter.of(connections.get(0));
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Long>> done = new ArrayList<>();
            for (int s = 0; s < c; s++) {
                Connection connection = connections.get(s);
                byte[] text = slices.get(s);
                done.add(pool.submit(() -> {
                    go.await();
                    long n = connection.unwrap(PGConnection.class).getCopyAPI().copyIn(COPY,
                            new ByteArrayInputStream(text));
                    connection.commit();
                    return n;
                }));
            }
            CpuMeter.Sample before = cpu.sample();
            long started = System.nanoTime();
            go.countDown();
            long copied = 0;
            for (Future<Long> f : done) {
                copied += f.get(BenchChores.DEADLINE.toMillis(), TimeUnit.MILLISECONDS);
            }
            long nanos = System.nanoTime() - started;
            CpuMeter.Sample used = cpu.sample().minus(before); // before the backends end with their connections
            return new Measurement(copied, nanos, used);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted in the bench COPY phase", e);
        } catch (Exception e) {
            throw new IllegalStateException("bench COPY phase of " + rows + " rows failed: " + e, e);
        } finally {
            pool.shutdownNow();
            for (Connection connection : connections) {
                try {
                    connection.close();
                } catch (SQLException ignored) {
                    // closing a bench connection; nothing to recover
                }
            }
        }
    }
}
