package dev.paypipe.control;

import java.time.Instant;
import java.util.Objects;

/**
 * A command on the compacted control topic. Pause and resume share one key, so compaction keeps the
 * fleet's latest pause state; breaker commands have their own key.
 */
public sealed interface ControlMessage {
    /** Who sent it (operator name, {@code admin@host}); for status and audit. */
    String by();

    Instant at();

    /** The compacted-topic key this message is stored under. */
    String key();

    record Pause(String reason, String by, Instant at) implements ControlMessage {
        public Pause {
            Objects.requireNonNull(reason, "reason");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return ControlTopic.PAUSE_KEY;
        }
    }

    record Resume(String by, Instant at) implements ControlMessage {
        public Resume {
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return ControlTopic.PAUSE_KEY;
        }
    }

    record Breaker(BreakerMode mode, String by, Instant at) implements ControlMessage {
        public Breaker {
            Objects.requireNonNull(mode, "mode");
            Objects.requireNonNull(by, "by");
            Objects.requireNonNull(at, "at");
        }

        @Override
        public String key() {
            return ControlTopic.BREAKER_KEY;
        }
    }
}
