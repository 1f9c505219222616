package dev.paypipe.cli.dev;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;
import org.apache.kafka.common.utils.Utils;

/**
 * How long a partition's payments waited with nobody working on them. Requests and results are keyed by
 * payment id, so a payment's request and its result sit in the same partition number. Per partition, the
 * meter knows which payments are published and not yet answered; a <em>stall</em> is a stretch during
 * which a partition has such a payment and no result of that partition arrives. Its start is the later of
 * the partition's last result and the moment its oldest outstanding payment was published.
 *
 * <p>With a gateway that answers in milliseconds and no retry delays, a stall longer than a second means the
 * partition had no live owner: after a SIGKILL it lasts until the group notices the dead member and the
 * survivor has fetched from the committed offset; {@link #maxStallNanos()} is then the fail-over time (an
 * upper bound: it includes the few milliseconds of one gateway call). A payment waiting in a retry tier, or a
 * gateway outage, stalls a partition too, and so does a backlog: a partition whose owner is busy elsewhere.
 *
 * <p>The fail-over time proper is {@link #maxOwnerlessNanos()}: fed with samples of which partitions have a
 * live owner ({@link #owners}), the longest stretch during which a partition had an outstanding payment and
 * no live member of the group owned it (unassigned, or assigned to a process that is dead). Times are passed
 * in (nanoTime-like), so tests control them. Thread-safe.
 */
public final class FailoverMeter {
    private final int partitions;
    private final Partition[] state;
    private long maxStallNanos;
    private int maxStallPartition = -1;
    private long maxStallEndNanos;
    private long maxOwnerlessNanos;
    private int maxOwnerlessPartition = -1;

    public FailoverMeter(int partitions) {
        if (partitions < 1) {
            throw new IllegalArgumentException("partitions must be >= 1, was " + partitions);
        }
        this.partitions = partitions;
        this.state = new Partition[partitions];
        for (int i = 0; i < partitions; i++) {
            state[i] = new Partition();
        }
    }

    /** The partition Kafka's default partitioner picks for {@code key} (murmur2 of its UTF-8 bytes). */
    public int partitionOf(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % partitions;
    }

    /** {@code paymentId} was published at {@code nanos}; a second publication of the same id is ignored. */
    public synchronized void published(String paymentId, long nanos) {
        Partition p = state[partitionOf(paymentId)];
        if (p.pending.add(paymentId) && p.pending.size() == 1) {
            p.since = nanos;
        }
    }

    /** A result for {@code paymentId} arrived at {@code nanos}; repeated results count as progress too. */
    public synchronized void resulted(String paymentId, long nanos) {
        int index = partitionOf(paymentId);
        Partition p = state[index];
        close(index, p, nanos);
        p.pending.remove(paymentId);
        p.since = nanos;
    }

    /**
     * A sample at {@code nanos}: the partitions in {@code owned} have a live owner, the others have none. A
     * partition without one counts as ownerless from the first such sample while a payment of it waits.
     */
    public synchronized void owners(Set<Integer> owned, long nanos) {
        for (int i = 0; i < partitions; i++) {
            Partition p = state[i];
            if (owned.contains(i) || p.pending.isEmpty()) {
                p.ownerlessSince = -1;
                continue;
            }
            if (p.ownerlessSince < 0) {
                p.ownerlessSince = nanos;
            }
            if (nanos - p.ownerlessSince > maxOwnerlessNanos) {
                maxOwnerlessNanos = nanos - p.ownerlessSince;
                maxOwnerlessPartition = i;
            }
        }
    }

    /** The longest time a partition with a waiting payment had no live owner, in nanoseconds (0 before any). */
    public synchronized long maxOwnerlessNanos() {
        return maxOwnerlessNanos;
    }

    public double maxOwnerlessSeconds() {
        return maxOwnerlessNanos() / 1e9;
    }

    /** The partition of the longest ownerless stretch, or -1. */
    public synchronized int maxOwnerlessPartition() {
        return maxOwnerlessPartition;
    }

    /** Counts the stalls still open at {@code nanos} (call it while waiting and at the end). */
    public synchronized void sample(long nanos) {
        for (int i = 0; i < partitions; i++) {
            close(i, state[i], nanos);
        }
    }

    private void close(int index, Partition p, long nanos) {
        if (!p.pending.isEmpty() && nanos - p.since > maxStallNanos) {
            maxStallNanos = nanos - p.since;
            maxStallPartition = index;
            maxStallEndNanos = nanos;
        }
    }

    /**
     * Forgets the longest stall and measures from {@code nanos} on: a stall under way counts from now. For a
     * warm-up (JVM start, first assignment) that is not a fail-over.
     */
    public synchronized void startMeasuring(long nanos) {
        maxStallNanos = 0;
        maxStallPartition = -1;
        maxStallEndNanos = 0;
        maxOwnerlessNanos = 0;
        maxOwnerlessPartition = -1;
        for (Partition p : state) {
            p.since = Math.max(p.since, nanos);
            if (p.ownerlessSince >= 0) {
                p.ownerlessSince = Math.max(p.ownerlessSince, nanos);
            }
        }
    }

    /** The longest stall so far, in nanoseconds (0 before any). */
    public synchronized long maxStallNanos() {
        return maxStallNanos;
    }

    /** The longest stall so far, in seconds. */
    public double maxStallSeconds() {
        return maxStallNanos() / 1e9;
    }

    /** The partition of the longest stall, or -1. */
    public synchronized int maxStallPartition() {
        return maxStallPartition;
    }

    /** When the longest stall was last seen (the nanos of the call that measured it). */
    public synchronized long maxStallEndNanos() {
        return maxStallEndNanos;
    }

    /** Payments published and not answered yet, over all partitions. */
    public synchronized int pending() {
        int n = 0;
        for (Partition p : state) {
            n += p.pending.size();
        }
        return n;
    }

    private static final class Partition {
        final Set<String> pending = new HashSet<>();
        /** Since when the partition has been without progress (meaningful while pending is not empty). */
        long since;
        /** Since when the partition has had no live owner while a payment waited; -1 while it has one. */
        long ownerlessSince = -1;
    }
}
