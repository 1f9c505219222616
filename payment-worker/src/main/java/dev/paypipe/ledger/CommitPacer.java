package dev.paypipe.ledger;

import java.time.Duration;

/**
 * When the ledger asks Streams to commit before {@code ledger.commit-interval} is up.
 *
 * <p>A result waits for two of the ledger's commits (the door's transaction before the worker may read the accepted
 * request, the exit's before a client may read the result), so the commit interval is most of what the ledger adds
 * to a payment's latency; and every commit costs the ledger's thread a few broker round trips. A short fixed interval
 * buys latency with throughput (20 ms on an AMD EPYC 2-core box: p99 − gateway p99 147 ms instead of 306 ms, but
 * sustained rates 6,246 and 3,136/s instead of 9,011 and 8,028/s). The pacer spends only idle time: while every record
 * the ledger processed in the last {@code minInterval} had been written less than one commit interval earlier (it keeps
 * up), the first record after that interval asks for a commit; once records wait longer (a backlog), it stops asking
 * and the commit interval batches again.
 *
 * <p>Processors ask from {@code process()}, not from a punctuation: Streams halves the records it processes per loop
 * after a loop in which a punctuation fired, and a punctuation per task every 20 ms made the ledger slower than no
 * pacing at all (docs/ledger.md). The window is per stream thread, as its transaction is (a requested commit commits
 * every task of the thread under exactly_once_v2); one pacer serves every task of a ledger instance.
 */
final class CommitPacer {
    private final boolean paced;
    private final long minIntervalMs;
    private final long keepUpAgeMs;
    private final LedgerMetrics metrics;
    private final ThreadLocal<Window> windows = ThreadLocal.withInitial(Window::new);

    /** Since the last decision on one stream thread: when it was made and the oldest record seen after it. */
    private static final class Window {
        long decidedAt = Long.MIN_VALUE / 2; // the first record decides
        long oldestAge;
    }

    /**
     * @param minInterval how often to commit while the ledger keeps up; not shorter than {@code commitInterval}: never
     *     ask (Streams commits every commit interval)
     * @param commitInterval the Streams commit interval, also the age (now − record timestamp) a record may have and
     *     the ledger still count as keeping up: it is not behind by more than one batch
     */
    CommitPacer(Duration minInterval, Duration commitInterval, LedgerMetrics metrics) {
        this.paced = minInterval.compareTo(commitInterval) < 0;
        this.minIntervalMs = minInterval.toMillis();
        this.keepUpAgeMs = commitInterval.toMillis();
        this.metrics = metrics;
    }

    /**
     * A record written at {@code recordTimestampMs} is being processed at {@code nowMs}: true when the processor
     * should ask for a commit now, at most once per {@code minInterval} per stream thread, and only when every record
     * since the previous decision, this one included, was young. A timestamp ahead of the clock counts as age 0.
     */
    boolean commitNow(long recordTimestampMs, long nowMs) {
        if (!paced) {
            return false;
        }
        Window w = windows.get();
        w.oldestAge = Math.max(w.oldestAge, nowMs - recordTimestampMs);
        if (nowMs - w.decidedAt < minIntervalMs && nowMs >= w.decidedAt) { // a clock set back decides anew
            return false;
        }
        boolean keepingUp = w.oldestAge <= keepUpAgeMs;
        w.decidedAt = nowMs;
        w.oldestAge = 0;
        if (keepingUp) {
            metrics.onEarlyCommit();
        }
        return keepingUp;
    }
}
