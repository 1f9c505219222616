package dev.paypipe.examples;

import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.PaymentPublisher;
import dev.paypipe.model.PaymentRequest;
import dev.paypipe.model.PaymentRequestValidator;
import dev.paypipe.model.RequestCheck;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;
import org.apache.kafka.clients.producer.RecordMetadata;

/**
 * An order service's side of paypipe: turn an order into a {@link PaymentRequest}, check it with the rules
 * paypipe applies, and publish it with {@link PaymentPublisher} (idempotent, {@code acks=all}, keyed by payment
 * id).
 *
 * <p>The payment id is derived from the order ({@code pay-<orderId>}), never drawn at random: a service that
 * crashes after publishing and publishes again on restart sends the same id, which paypipe charges once. A new
 * attempt after {@code DECLINED} or {@code REJECTED} is a new payment and needs a new id ({@link #paymentId(Order,
 * int)}).
 */
public final class OrderService implements AutoCloseable {
    /** What the shop knows about an order when it asks for payment; {@code amount} is a decimal string. */
    public record Order(String orderId, String amount, String currency, String customerId, String paymentToken) {
    }

    private final PaymentPublisher publisher;
    private final Clock clock;

    public OrderService(KafkaSettings kafka, Clock clock) {
        this.publisher = new PaymentPublisher(kafka);
        this.clock = clock;
    }

    /** The id of the order's first payment attempt. */
    public static String paymentId(Order order) {
        return paymentId(order, 1);
    }

    /** The id of the order's n-th payment attempt (a new attempt after a decline uses the next n). */
    public static String paymentId(Order order, int attempt) {
        return attempt == 1 ? "pay-" + order.orderId() : "pay-" + order.orderId() + "-" + attempt;
    }

    /**
     * Builds and checks the request for the order's first payment attempt.
     *
     * @throws IllegalArgumentException naming every problem, before anything is published
     */
    public PaymentRequest paymentRequest(Order order) {
        RequestCheck check = PaymentRequestValidator.check(paymentId(order), order.orderId(), order.amount(),
                order.currency(), order.customerId(), order.paymentToken(), clock.instant().toString(),
                Map.of("channel", "web"), List.of());
        if (!check.isValid()) {
            throw new IllegalArgumentException("order " + order.orderId() + " cannot be paid: "
                    + check.describeProblems());
        }
        return check.request();
    }

    /**
     * Publishes the request and waits until the broker has it. A failed or timed-out send is simply sent again, with
     * the same request: paypipe drops the copy if the first one arrived after all.
     *
     * @throws IllegalStateException when every one of {@code attempts} sends failed, with the last cause
     */
    public RecordMetadata publish(PaymentRequest request, int attempts) {
        RuntimeException last = null;
        for (int i = 0; i < attempts; i++) {
            try {
                return publisher.publish(request).join();
            } catch (CompletionException e) {
                last = e;
            }
        }
        throw new IllegalStateException("payment " + request.paymentId() + " not published after " + attempts
                + " attempts; publish it again later with the same paymentId", last);
    }

    /** Asks for the order's payment: check, then publish (up to 3 sends). */
    public String requestPayment(Order order) {
        PaymentRequest request = paymentRequest(order);
        publish(request, 3);
        return request.paymentId();
    }

    @Override
    public void close() {
        publisher.close();
    }

    /**
     * {@code java -cp … dev.paypipe.examples.OrderService ORDER_ID AMOUNT CURRENCY CUSTOMER TOKEN}: publishes one
     * payment to the cluster named by {@code PAYPIPE_KAFKA_BOOTSTRAP_SERVERS}.
     */
    public static void main(String[] args) {
        if (args.length != 5) {
            System.err.println("usage: OrderService ORDER_ID AMOUNT CURRENCY CUSTOMER_ID PAYMENT_TOKEN");
            System.exit(2);
        }
        KafkaSettings kafka = KafkaSettings.from(ConfigSource.load(null));
        try (OrderService orders = new OrderService(kafka, Clock.systemUTC())) {
            String id = orders.requestPayment(new Order(args[0], args[1], args[2], args[3], args[4]));
            System.out.println("published " + id);
        }
    }
}
