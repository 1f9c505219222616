package dev.paypipe.ledger;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * The ledger's counters: {@code paypipe.ledger.requests{outcome=accepted|duplicate|conflict|rejected|rerouted|
 * replay_admitted|replay_refused}} at the door and
 * {@code paypipe.ledger.results{outcome=passed|repeat_dropped|settlement|replay_result|charged_after_failed}} at the exit,
 * {@code paypipe.ledger.commits.early} for the commits {@link CommitPacer} asked for. They count
 * processing: after a Streams transaction aborts (a crash, a fenced task) the records it re-processes are counted
 * again.
 */
public final class LedgerMetrics {
    private final Counter accepted;
    private final Counter duplicates;
    private final Counter conflicts;
    private final Counter rejected;
    private final Counter rerouted;
    private final Counter replaysAdmitted;
    private final Counter replaysRefused;
    private final Counter replayResults;
    private final Counter passed;
    private final Counter repeats;
    private final Counter settlements;
    private final Counter chargedAfterFailed;
    private final Counter earlyCommits;

    public LedgerMetrics(MeterRegistry registry) {
        this.accepted = request(registry, "accepted");
        this.duplicates = request(registry, "duplicate");
        this.conflicts = request(registry, "conflict");
        this.rejected = request(registry, "rejected");
        this.rerouted = request(registry, "rerouted");
        this.replaysAdmitted = request(registry, "replay_admitted");
        this.replaysRefused = request(registry, "replay_refused");
        this.replayResults = result(registry, "replay_result");
        this.passed = result(registry, "passed");
        this.repeats = result(registry, "repeat_dropped");
        this.settlements = result(registry, "settlement");
        this.chargedAfterFailed = result(registry, "charged_after_failed");
        this.earlyCommits = Counter.builder("paypipe.ledger.commits.early")
                .description("commits the ledger asked for before ledger.commit-interval because it kept up "
                        + "(ledger.min-commit-interval)")
                .register(registry);
    }

    private static Counter request(MeterRegistry registry, String outcome) {
        return Counter.builder("paypipe.ledger.requests").tag("outcome", outcome)
                .description("requests at the ledger's door by what it did with them").register(registry);
    }

    private static Counter result(MeterRegistry registry, String outcome) {
        return Counter.builder("paypipe.ledger.results").tag("outcome", outcome)
                .description("worker outcomes at the ledger's exit by what it did with them").register(registry);
    }

    void onAccepted() {
        accepted.increment();
    }

    void onDuplicate() {
        duplicates.increment();
    }

    void onConflict() {
        conflicts.increment();
    }

    void onRejected() {
        rejected.increment();
    }

    void onRerouted() {
        rerouted.increment();
    }

    void onReplayAdmitted() {
        replaysAdmitted.increment();
    }

    void onReplayRefused() {
        replaysRefused.increment();
    }

    void onReplayResult() {
        replayResults.increment();
    }

    void onPassed() {
        passed.increment();
    }

    void onRepeatDropped() {
        repeats.increment();
    }

    void onSettlement() {
        settlements.increment();
    }

    void onChargedAfterFailed() {
        chargedAfterFailed.increment();
    }

    void onEarlyCommit() {
        earlyCommits.increment();
    }

    /** Times the ledger kept up and asked for a commit before the commit interval was up. */
    public long earlyCommits() {
        return (long) earlyCommits.count();
    }

    /** New valid requests forwarded to payment-accepted. */
    public long accepted() {
        return (long) accepted.count();
    }

    /** Copies of a known payment with the same fingerprint, dropped before the gateway. */
    public long duplicatesDropped() {
        return (long) duplicates.count();
    }

    /** Copies of a known payment with a different fingerprint, dead-lettered as idempotency_conflict. */
    public long conflictsRefused() {
        return (long) conflicts.count();
    }

    /** Invalid requests: dead-lettered, and answered REJECTED unless the paymentId already had an outcome. */
    public long rejected() {
        return (long) rejected.count();
    }

    /** Requests that arrived on another partition than their key's and were re-published to the right one. */
    public long rerouted() {
        return (long) rerouted.count();
    }

    /** Replayed requests of FAILED/UNKNOWN payments forwarded to payment-accepted again. */
    public long replaysAdmitted() {
        return (long) replaysAdmitted.count();
    }

    /** Replayed requests dropped: the payment is settled, still under way, or was never accepted by the door. */
    public long replaysRefused() {
        return (long) replaysRefused.count();
    }

    /** The one final result of a replay, passed on (also counted in {@link #resultsPassed()}). */
    public long replayResults() {
        return (long) replayResults.count();
    }

    /** Final results passed on to payment-results, settlements and replay results included. */
    public long resultsPassed() {
        return (long) passed.count();
    }

    /** Results dropped because the payment already had its final result. */
    public long repeatsDropped() {
        return (long) repeats.count();
    }

    /** Settled results that replaced an UNKNOWN. */
    public long settlements() {
        return (long) settlements.count();
    }

    /** APPROVED results that corrected a FAILED one: a re-processed attempt charged after all. */
    public long chargedAfterFailed() {
        return (long) chargedAfterFailed.count();
    }
}
