package dev.paypipe.admin;

/**
 * One readiness condition (Kafka reachable, database reachable). Called on every {@code /health/ready}
 * request, so it must answer within a second or two; an exception counts as down.
 */
@FunctionalInterface
public interface HealthCheck {
    Result check();

    /** {@code detail} tells the operator what was checked or what failed (never a secret). */
    record Result(boolean up, String detail) {
        public static Result up(String detail) {
            return new Result(true, detail);
        }

        public static Result down(String detail) {
            return new Result(false, detail);
        }
    }
}
