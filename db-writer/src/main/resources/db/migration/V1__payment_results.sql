-- One row per payment: the winning PaymentResult seen on payment-results (see DbWriter / ResultPrecedence).
CREATE TABLE payment_results (
    payment_id        varchar(64)  PRIMARY KEY,
    order_id          text,
    amount            numeric      CHECK (amount >= 0),
    currency          varchar(3)   CHECK (char_length(currency) = 3),
    status            text         NOT NULL
                                   CHECK (status IN ('APPROVED', 'DECLINED', 'REJECTED', 'FAILED', 'UNKNOWN')),
    -- PaymentStatus.precedence() of status, written by the db-writer so the upsert compares numbers
    status_precedence smallint     NOT NULL,
    gateway_reference text,
    decline_code      text,
    error_class       text,
    reason            text,
    attempts          integer      NOT NULL CHECK (attempts >= 0),
    requested_at      timestamptz,
    completed_at      timestamptz  NOT NULL,
    updated_at        timestamptz  NOT NULL DEFAULT now(),
    -- the Kafka position of the record that made the last write, for support and audits
    source_partition  integer      NOT NULL,
    source_offset     bigint       NOT NULL
);

-- "What happened to order X?" is the first support question.
CREATE INDEX payment_results_order_id ON payment_results (order_id);
