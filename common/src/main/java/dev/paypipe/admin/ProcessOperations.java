package dev.paypipe.admin;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ControlFollower;
import dev.paypipe.control.ControlPublisher;
import dev.paypipe.control.ControlState;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusHeartbeat;
import dev.paypipe.control.StatusSource;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Everything operational a paypipe process runs beside its work, started in the order that keeps
 * the fleet's promises: the control topic is ensured, the {@link ControlFollower} has read and
 * applied the standing orders (so a process started during a fleet pause is paused before it
 * fetches), then the heartbeat starts and the admin endpoint opens. Admin pause/resume/breaker act
 * on the whole fleet (published to the control topic, so the follower of every process, this one
 * included, applies them). Start it before the process consumes; close it after.
 */
public final class ProcessOperations implements AutoCloseable {
    /** How long start waits for the control topic to be read before refusing to start. */
    public static final Duration DEFAULT_CATCH_UP = Duration.ofSeconds(30);

    private final ControlPublisher publisher;
    private final ControlFollower follower;
    private final StatusHeartbeat heartbeat;
    private final AdminServer admin;

    private ProcessOperations(ControlPublisher publisher, ControlFollower follower, StatusHeartbeat heartbeat,
            AdminServer admin) {
        this.publisher = publisher;
        this.follower = follower;
        this.heartbeat = heartbeat;
        this.admin = admin;
    }

    public static Builder builder(KafkaSettings kafka, ProcessInstance instance, ControlTarget target, StatusSource status) {
        return new Builder(kafka, instance, target, status);
    }

    /** The parts of one process; everything but admin, metrics and checks is required. */
    public static final class Builder {
        private final KafkaSettings kafka;
        private final ProcessInstance instance;
        private final ControlTarget target;
        private final StatusSource status;
        private final Map<String, HealthCheck> checks = new LinkedHashMap<>();
        private AdminConfig adminConfig = new AdminConfig(false, AdminConfig.DEFAULT_HOST, 0, null);
        private Supplier<String> metrics;
        private Clock clock = Clock.systemUTC();
        private Duration heartbeatInterval = Duration.ofSeconds(StatusHeartbeat.DEFAULT_INTERVAL_SECONDS);
        private Duration catchUp = DEFAULT_CATCH_UP;

        private Builder(KafkaSettings kafka, ProcessInstance instance, ControlTarget target, StatusSource status) {
            this.kafka = Objects.requireNonNull(kafka, "kafka");
            this.instance = Objects.requireNonNull(instance, "instance");
            this.target = Objects.requireNonNull(target, "target");
            this.status = Objects.requireNonNull(status, "status");
        }

        public Builder admin(AdminConfig config) {
            this.adminConfig = config;
            return this;
        }

        /** The Prometheus scrape for {@code /metrics}, e.g. {@code meters::scrape}. */
        public Builder metrics(Supplier<String> scrape) {
            this.metrics = scrape;
            return this;
        }

        public Builder healthCheck(String name, HealthCheck check) {
            checks.put(name, check);
            return this;
        }

        public Builder clock(Clock clock) {
            this.clock = clock;
            return this;
        }

        public Builder heartbeatInterval(Duration interval) {
            this.heartbeatInterval = interval;
            return this;
        }

        public Builder catchUpTimeout(Duration timeout) {
            this.catchUp = timeout;
            return this;
        }

        /**
         * @throws IllegalStateException when the control topic cannot be read within the catch-up
         *         timeout: starting anyway could miss a fleet pause
         */
        public ProcessOperations start() {
            ControlPublisher.ensureTopic(kafka);
            ControlPublisher publisher = new ControlPublisher(kafka, clock);
            ControlFollower follower = new ControlFollower(kafka, target);
            follower.start();
            if (!follower.awaitCaughtUp(catchUp)) {
                follower.close();
                publisher.close();
                throw new IllegalStateException("control topic " + kafka.topics().control() + " not read within " + catchUp
                        + "; not starting, so a fleet pause cannot be missed (check the Kafka cluster)");
            }
            StatusHeartbeat heartbeat = new StatusHeartbeat(publisher, status, clock, heartbeatInterval);
            AdminServer admin = null;
            if (adminConfig.enabled()) {
                AdminServer.Builder b = AdminServer.builder(adminConfig).status(status)
                        .control(publisher.fleetTarget("admin@" + instance.instanceId()));
                if (metrics != null) {
                    b.metrics(metrics);
                }
                checks.forEach(b::healthCheck);
                admin = b.start();
            }
            return new ProcessOperations(publisher, follower, heartbeat, admin);
        }
    }

    /** The fleet's standing orders as this process last read them. */
    public ControlState orders() {
        return follower.state();
    }

    public Optional<AdminServer> admin() {
        return Optional.ofNullable(admin);
    }

    /** Closes the admin endpoint, retires the heartbeat (tombstone), then stops following. */
    @Override
    public void close() {
        if (admin != null) {
            admin.close();
        }
        heartbeat.close();
        follower.close();
        publisher.close();
    }
}
