package dev.paypipe.gateway;

/** The answer to "did the gateway process this idempotency key?" */
public sealed interface ChargeLookup {

    /** The gateway has a completed charge for the key: its outcome (Approved or Declined) is final. */
    record Found(GatewayOutcome outcome) implements ChargeLookup {
    }

    /** The gateway has no charge for the key (404): a new attempt is needed. */
    record NotFound() implements ChargeLookup {
    }

    /** The look-up itself failed (timeout, 5xx, breaker open): the payment stays ambiguous. */
    record Failed(String errorClass, String detail) implements ChargeLookup {
    }
}
