package dev.paypipe.persistence.kafka;

import dev.paypipe.json.PaymentJson;
import dev.paypipe.persistence.DbWriterMetrics;
import dev.paypipe.persistence.ResultPrecedence;
import dev.paypipe.persistence.ResultRepository;
import dev.paypipe.persistence.ResultRow;
import dev.paypipe.persistence.RetryBackoff;
import dev.paypipe.persistence.SqlFailures;
import dev.paypipe.persistence.WriteOutcome;
import dev.paypipe.persistence.kafka.ResultDeadLetters.DeadLetterPublishException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.consumer.CloseOptions;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One db-writer consumer thread: poll → decode → collapse → upsert in one transaction → publish
 * dead letters → commit offsets. It borrows one pooled connection per batch, so C of these never
 * need more than C connections.
 *
 * <p>When a batch cannot be written (database down, pool timeout) the batch is kept, every assigned
 * partition is paused (polling continues, so the group does not rebalance) and the batch is retried
 * with exponential backoff; on success the partitions resume. Offsets are committed only after the
 * database commit and the dead letters' acknowledgements, so a crash at any point re-delivers
 * records whose re-write is a no-op.
 */
public final class ResultConsumer implements Runnable {
    private static final Logger log = LoggerFactory.getLogger(ResultConsumer.class);
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(200);
    private static final long PROBE_INTERVAL_NANOS = Duration.ofSeconds(5).toNanos();

    private final String name;
    private final Consumer<byte[], byte[]> consumer;
    private final String topic;
    private final ResultRepository repository;
    private final ResultDeadLetters deadLetters;
    private final DbWriterMetrics metrics;
    private final RetryBackoff backoff;

    private volatile boolean running = true;
    /** Set by an operator pause from the control thread; applied to the consumer on this thread. */
    private volatile boolean operatorPaused;
    private volatile boolean operatorPauseApplied;
    private volatile boolean healthy = true;
    private volatile boolean stopped;
    private PendingBatch pending;
    /** Offsets of written batches whose commit failed, the newest per partition; callbacks run on this thread. */
    private final Map<TopicPartition, OffsetAndMetadata> failedCommits = new HashMap<>();
    private boolean paused;
    private long lastDatabaseContactNanos = System.nanoTime();

    public ResultConsumer(String name, Consumer<byte[], byte[]> consumer, String topic, ResultRepository repository,
            ResultDeadLetters deadLetters, DbWriterMetrics metrics, RetryBackoff backoff) {
        this.name = name;
        this.consumer = consumer;
        this.topic = topic;
        this.repository = repository;
        this.deadLetters = deadLetters;
        this.metrics = metrics;
        this.backoff = backoff;
    }

    /** False while the database cannot be written (or probed), and after the thread ended. */
    public boolean isHealthy() {
        return healthy && !stopped;
    }

    /**
     * Operator pause: stop fetching (every assigned partition paused, polling continues so the group
     * does not rebalance); a batch already fetched is still written and committed.
     */
    public void setOperatorPaused(boolean paused) {
        operatorPaused = paused;
    }

    /** True once this thread has paused its partitions for the operator: nothing fetched from now on is written. */
    public boolean operatorPauseApplied() {
        return operatorPauseApplied;
    }

    /**
     * Asks the loop to finish its current batch, commit it and exit (within one poll timeout). No
     * wakeup: it could abort the final offset commit.
     */
    public void stop() {
        running = false;
    }

    @Override
    public void run() {
        try {
            consumer.subscribe(List.of(topic), new Rebalance());
            while (running) {
                pollOnce();
            }
        } catch (RuntimeException e) {
            log.atError().setMessage("db-writer consumer failed: the thread stops; restart the db-writer")
                    .addKeyValue("event", "db_writer_consumer_failed").addKeyValue("consumer", name)
                    .addKeyValue("topic", topic).setCause(e).log();
            throw e;
        } finally {
            stopped = true;
            if (pending != null) {
                log.atWarn().setMessage("stopped with a pending batch: offsets left uncommitted, the records will be "
                        + "re-delivered").addKeyValue("event", "db_writer_stopped_with_pending_batch")
                        .addKeyValue("consumer", name).addKeyValue("records", pending.records().size()).log();
            }
            // Leave at once (also as a static member): the batch is written and committed, the partitions can move.
            consumer.close(CloseOptions.timeout(Duration.ofSeconds(5))
                    .withGroupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        }
    }

    void pollOnce() {
        applyOperatorPause();
        retryFailedCommits();
        Duration timeout = POLL_TIMEOUT;
        if (pending != null) {
            long untilAttempt = pending.nextAttemptNanos - System.nanoTime();
            timeout = Duration.ofNanos(Math.max(0, Math.min(untilAttempt, POLL_TIMEOUT.toNanos())));
        }
        ConsumerRecords<byte[], byte[]> polled = consumer.poll(timeout);
        if (!polled.isEmpty()) {
            if (pending == null) {
                pending = new PendingBatch(polled);
            } else {
                pending.add(polled); // only possible for a partition assigned but not yet paused
            }
        }
        if (pending == null) {
            probeWhenIdle();
            return;
        }
        if (System.nanoTime() >= pending.nextAttemptNanos) {
            attempt(pending);
        }
    }

    private void retryFailedCommits() {
        if (failedCommits.isEmpty()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> retry = new HashMap<>(failedCommits);
        failedCommits.clear();
        retry.keySet().retainAll(consumer.assignment()); // a partition that moved is its new owner's to commit
        if (!retry.isEmpty()) {
            commitAsync(retry, 0);
        }
    }

    private void attempt(PendingBatch batch) {
        try {
            if (!batch.databaseDone()) {
                batch.deadLetters = write(batch.records());
            }
            deadLetters.publish(batch.deadLetters);
        } catch (SQLException | DeadLetterPublishException e) {
            waitForDatabase(batch, e);
            return;
        }
        commit(batch);
        pending = null;
        lastDatabaseContactNanos = System.nanoTime();
        if (paused) {
            if (!operatorPaused) {
                consumer.resume(consumer.paused());
            }
            paused = false;
            log.atInfo().setMessage("database writable again").addKeyValue("event", "db_writer_resumed")
                    .addKeyValue("consumer", name).addKeyValue("failedAttempts", batch.failures).log();
        }
        healthy = true;
    }

    /** Pauses every assigned partition while an operator pause is in force; on resume lifts it unless the database is down. */
    private void applyOperatorPause() {
        boolean wanted = operatorPaused;
        if (wanted) {
            consumer.pause(consumer.assignment());
        } else if (operatorPauseApplied && !paused) {
            consumer.resume(consumer.paused());
        }
        operatorPauseApplied = wanted;
    }

    /** Decodes, collapses and writes; returns the dead letters (undecodable and refused records). */
    private List<DeadLetter> write(List<ConsumerRecord<byte[], byte[]>> records) throws SQLException {
        List<DeadLetter> letters = new ArrayList<>(0);
        List<ResultRow> rows = new ArrayList<>(records.size());
        for (ConsumerRecord<byte[], byte[]> record : records) {
            try {
                rows.add(new ResultRow(PaymentJson.decodeResult(record.value()), record.partition(), record.offset()));
            } catch (RuntimeException e) {
                letters.add(new DeadLetter(record, e.getClass().getSimpleName(), "undecodable: " + e.getMessage()));
            }
        }
        int undecodable = letters.size();
        List<ResultRow> collapsed = ResultPrecedence.collapse(rows);
        long started = System.nanoTime();
        WriteOutcome outcome = repository.write(collapsed);
        metrics.batch(records.size(), collapsed.size(), outcome.rowsChanged(),
                Duration.ofNanos(System.nanoTime() - started));
        if (!outcome.rejected().isEmpty()) {
            Map<Long, ConsumerRecord<byte[], byte[]>> byPosition = new HashMap<>();
            records.forEach(r -> byPosition.put(position(r.partition(), r.offset()), r));
            for (WriteOutcome.Rejected rejected : outcome.rejected()) {
                ResultRow row = rejected.row();
                log.atWarn().setMessage("result rejected by the database; dead-lettered")
                        .addKeyValue("event", "db_write_rejected").addKeyValue("consumer", name)
                        .addKeyValue("paymentId", row.paymentId()).addKeyValue("partition", row.sourcePartition())
                        .addKeyValue("offset", row.sourceOffset()).addKeyValue("reason", rejected.reason()).log();
                letters.add(new DeadLetter(byPosition.get(position(row.sourcePartition(), row.sourceOffset())),
                        "SQLState-" + rejected.sqlState(), "rejected by the database: " + rejected.reason()));
            }
        }
        if (undecodable > 0) {
            log.atWarn().setMessage("undecodable results sent to the dead-letter topic")
                    .addKeyValue("event", "db_write_undecodable").addKeyValue("consumer", name)
                    .addKeyValue("records", undecodable).log();
        }
        metrics.deadLetters(undecodable, outcome.rejected().size());
        return letters;
    }

    private static long position(int partition, long offset) {
        return ((long) partition << 48) ^ offset;
    }

    private void waitForDatabase(PendingBatch batch, Exception cause) {
        batch.failures++;
        metrics.writeFailure();
        Duration delay = backoff.delayAfter(batch.failures);
        batch.nextAttemptNanos = System.nanoTime() + delay.toNanos();
        healthy = false;
        if (!paused) {
            consumer.pause(consumer.assignment());
            paused = true;
        }
        String detail = cause instanceof SQLException sql ? SqlFailures.describe(sql) : cause.getMessage();
        if (batch.failures > 1 && batch.failures % 10 != 0) {
            log.atDebug().setMessage("database unavailable").addKeyValue("event", "db_unavailable")
                    .addKeyValue("consumer", name).addKeyValue("attempt", batch.failures).addKeyValue("detail", detail)
                    .log();
            return;
        }
        log.atWarn().setMessage("database unavailable: partitions paused, offsets kept")
                .addKeyValue("event", "db_unavailable").addKeyValue("consumer", name)
                .addKeyValue("records", batch.records().size()).addKeyValue("attempt", batch.failures)
                .addKeyValue("retryInMillis", delay.toMillis()).addKeyValue("detail", detail).log();
    }

    /**
     * Commits the batch's offsets without waiting: the rows are already committed in the database, so a
     * lost offset commit only means the records are read again and re-written as no-ops. Commits are
     * sent in order, and a later one covers an earlier one that failed.
     */
    private void commit(PendingBatch batch) {
        int records = batch.records().size();
        commitAsync(batch.nextOffsets(), records);
    }

    /**
     * Commits {@code offsets} without waiting; a failed commit (a rebalance in progress, say) is kept and tried again
     * before the next poll, for the partitions still assigned then. Without that, the last batch of a partition
     * whose commit met a rebalance stayed uncommitted until new records came, and was re-read after a restart.
     */
    private void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, int records) {
        consumer.commitAsync(offsets, (committed, error) -> {
            if (error == null) {
                // A newer commit that succeeded covers an older one that failed.
                committed.forEach((tp, om) -> {
                    OffsetAndMetadata failed = failedCommits.get(tp);
                    if (failed != null && failed.offset() <= om.offset()) {
                        failedCommits.remove(tp);
                    }
                });
            } else {
                offsets.forEach((tp, om) -> failedCommits.merge(tp, om, (a, b) -> a.offset() >= b.offset() ? a : b));
                log.atWarn().setMessage("offset commit failed; retried before the next poll")
                        .addKeyValue("event", "offset_commit_failed")
                        .addKeyValue("consumer", name).addKeyValue("records", records)
                        .addKeyValue("error", error.toString()).log();
            }
        });
    }

    private void probeWhenIdle() {
        if (System.nanoTime() - lastDatabaseContactNanos < PROBE_INTERVAL_NANOS) {
            return;
        }
        lastDatabaseContactNanos = System.nanoTime();
        boolean reachable = repository.probe(2);
        if (reachable != healthy) {
            log.atInfo().setMessage("database probe").addKeyValue("event", "db_probe").addKeyValue("consumer", name)
                    .addKeyValue("reachable", reachable).log();
        }
        healthy = reachable;
    }

    /** Keeps the pending batch consistent with what this consumer owns, and new partitions paused during an outage. */
    private final class Rebalance implements ConsumerRebalanceListener {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> revoked) {
            try {
                // Flushes the async offset commits of written batches before the partitions move on.
                consumer.commitSync(Map.of());
            } catch (CommitFailedException | RebalanceInProgressException | TimeoutException e) {
                log.atWarn().setMessage("offset commit on revocation failed").addKeyValue("event", "offset_commit_failed")
                        .addKeyValue("consumer", name).addKeyValue("error", e.toString()).log();
            }
            if (pending == null) {
                return;
            }
            Set<TopicPartition> owned = new HashSet<>(consumer.assignment());
            owned.removeAll(revoked);
            pending.retainOnly(owned);
            if (pending.isEmpty()) {
                pending = null;
                paused = false;
                if (!operatorPaused) {
                    consumer.resume(consumer.paused());
                }
            }
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> assigned) {
            if (paused || operatorPaused) {
                consumer.pause(assigned);
            }
        }

        @Override
        public void onPartitionsLost(Collection<TopicPartition> lost) {
            onPartitionsRevoked(lost);
        }
    }
}
