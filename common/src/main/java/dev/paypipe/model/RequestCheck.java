package dev.paypipe.model;

import java.util.List;

/**
 * The outcome of checking one incoming request: either a valid {@link PaymentRequest}, or every
 * problem found. {@code paymentId} and {@code orderId} are kept as sent (possibly null or invalid)
 * so a REJECTED result can still be keyed and correlated.
 */
public record RequestCheck(PaymentRequest request, String paymentId, String orderId, List<String> problems) {

    public RequestCheck {
        problems = List.copyOf(problems);
        if ((request == null) == problems.isEmpty()) {
            throw new IllegalArgumentException("exactly one of request or problems must be present");
        }
    }

    public static RequestCheck valid(PaymentRequest request) {
        return new RequestCheck(request, request.paymentId(), request.orderId(), List.of());
    }

    public static RequestCheck invalid(String paymentId, String orderId, List<String> problems) {
        return new RequestCheck(null, paymentId, orderId, problems);
    }

    public boolean isValid() {
        return request != null;
    }

    /** All problems in one line, e.g. {@code "amount: ...; currency: ..."}. */
    public String describeProblems() {
        return String.join("; ", problems);
    }
}
