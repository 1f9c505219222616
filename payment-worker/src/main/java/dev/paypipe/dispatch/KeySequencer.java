package dev.paypipe.dispatch;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Keeps order per key: while one item for a key is being processed, later items for the same key
 * wait. Not thread-safe: owned by the poll thread.
 *
 * @param <T> the work item
 */
public final class KeySequencer<T> {
    private final Map<String, ArrayDeque<T>> busy = new HashMap<>();
    private int waiting;

    /** Returns true when {@code item} may start now; otherwise it is queued behind its key. */
    public boolean tryStart(String key, T item) {
        ArrayDeque<T> queue = busy.get(key);
        if (queue == null) {
            busy.put(key, new ArrayDeque<>(0));
            return true;
        }
        queue.addLast(item);
        waiting++;
        return false;
    }

    /** Finishes the current item for {@code key}; returns the next item to start for it, or null. */
    public T release(String key) {
        ArrayDeque<T> queue = busy.get(key);
        if (queue == null) {
            return null;
        }
        T next = queue.pollFirst();
        if (next == null) {
            busy.remove(key);
        } else {
            waiting--;
        }
        return next;
    }

    /** Items queued behind a busy key. */
    public int waiting() {
        return waiting;
    }

    /** Keys with an item in progress. */
    public int busyKeys() {
        return busy.size();
    }
}
