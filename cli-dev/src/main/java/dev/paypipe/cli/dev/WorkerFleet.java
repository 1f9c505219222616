package dev.paypipe.cli.dev;

import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.worker.WorkerConfig;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Payment workers of one consumer group, each a {@link ServiceProcess}, and the disruptions a fail-over
 * measurement inflicts on them: {@link #killAndRestart} (SIGKILL, started again at once: a node failure or an
 * OOM kill followed by the orchestrator's restart) and {@link #rollingRestart} (SIGTERM, wait for the drain,
 * start again: a deployment). {@link #disruptEvery} does one of them to the next worker in turn every period.
 */
public final class WorkerFleet implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(WorkerFleet.class);

    /** What is done to one worker. */
    public enum Disruption {
        /** SIGKILL, then start again at once. */
        KILL,
        /** SIGTERM (drain, commit, leave), wait for the exit, start again. */
        RESTART;

        public String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    private static final String INSTANCE_ID = "kafka.client.group.instance.id";

    private final List<ServiceProcess> workers;
    private final AtomicInteger next = new AtomicInteger();
    private final AtomicLong kills = new AtomicLong();
    private final AtomicLong restarts = new AtomicLong();
    private final Duration drainWait;
    private final Duration readyTimeout;
    private ScheduledExecutorService schedule;

    private WorkerFleet(List<ServiceProcess> workers, Duration drainWait, Duration readyTimeout) {
        this.workers = List.copyOf(workers);
        this.drainWait = drainWait;
        this.readyTimeout = readyTimeout;
    }

    /**
     * A {@code paypipe worker} on the topics of {@code kafka} (its bootstrap servers and topic prefix) in consumer
     * group {@code groupId}, calling {@code gateway} with {@code apiKey}; add the rest with {@link ServiceProcess.Spec#with}.
     * Group membership (session timeout, protocol) is left to the production defaults.
     */
    public static ServiceProcess.Spec workerSpec(KafkaSettings kafka, URI gateway, String apiKey, String groupId,
            Path logDir) {
        return ServiceProcess.Spec.of("worker", "worker", logDir).withAll(kafkaKeys(kafka))
                .with("worker.group-id", groupId)
                .with("gateway.base-url", gateway.toString())
                .with("gateway.api-key", apiKey);
    }

    /** A {@code paypipe worker} configured as {@code config} says: every key a {@link WorkerConfig} is read from. */
    public static ServiceProcess.Spec workerSpec(WorkerConfig config, Path logDir) {
        GatewayConfig gateway = config.gateway();
        WorkerConfig.BreakerSettings breaker = config.breaker();
        Map<String, String> keys = new LinkedHashMap<>(kafkaKeys(config.kafka()));
        keys.put("worker.group-id", config.groupId());
        keys.put("worker.intake", config.intake().name().toLowerCase(Locale.ROOT));
        keys.put("worker.max-in-flight", Integer.toString(config.maxInFlight()));
        keys.put("worker.max-poll-records", Integer.toString(config.maxPollRecords()));
        keys.put("worker.commit-interval", millis(config.commitInterval()));
        keys.put("worker.ramp-period", millis(config.rampPeriod()));
        keys.put("worker.shutdown-timeout", millis(config.shutdownTimeout()));
        keys.put("worker.retry-topic-partitions", Integer.toString(config.retryTopicPartitions()));
        keys.put("gateway.base-url", gateway.baseUri().toString());
        keys.put("gateway.api-key", gateway.apiKey());
        keys.put("gateway.connect-timeout", millis(gateway.connectTimeout()));
        keys.put("gateway.response-timeout", millis(gateway.responseTimeout()));
        keys.put("gateway.max-connections", Integer.toString(gateway.maxConnections()));
        keys.put("gateway.io-threads", Integer.toString(gateway.ioThreads()));
        keys.put("retry.tiers", String.join(",", config.retry().tiers().stream().map(WorkerFleet::millis).toList()));
        keys.put("retry.base", millis(config.retry().base()));
        keys.put("retry.cap", millis(config.retry().cap()));
        keys.put("retry.max-attempts", Integer.toString(config.retry().maxAttempts()));
        keys.put("breaker.failure-rate-threshold", Float.toString(breaker.failureRateThreshold()));
        keys.put("breaker.slow-call-rate-threshold", Float.toString(breaker.slowCallRateThreshold()));
        keys.put("breaker.slow-call-duration", millis(breaker.slowCallDuration()));
        keys.put("breaker.window-type", breaker.windowType().name().toLowerCase(Locale.ROOT));
        keys.put("breaker.window", breaker.window().toSeconds() + "s");
        keys.put("breaker.window-size", Integer.toString(breaker.windowSize()));
        keys.put("breaker.minimum-calls", Integer.toString(breaker.minimumCalls()));
        keys.put("breaker.open-wait", millis(breaker.openWait()));
        keys.put("breaker.half-open-calls", Integer.toString(breaker.halfOpenCalls()));
        keys.put("breaker.half-open-max-wait", millis(breaker.halfOpenMaxWait()));
        return ServiceProcess.Spec.of("worker", "worker", logDir).withAll(keys);
    }

    /** The keys {@link KafkaSettings#from} reads: servers, topic prefix, group membership, pass-through client keys. */
    public static Map<String, String> kafkaKeys(KafkaSettings kafka) {
        String requests = kafka.topics().requests();
        Map<String, String> keys = new LinkedHashMap<>();
        keys.put("kafka.bootstrap-servers", kafka.bootstrapServers());
        keys.put("kafka.topic-prefix", requests.substring(0, requests.length() - "payment-requests".length()));
        keys.put("kafka.group-protocol", kafka.group().protocol().kafkaName());
        keys.put("kafka.session-timeout", millis(kafka.group().sessionTimeout()));
        keys.put("kafka.heartbeat-interval", millis(kafka.group().heartbeatInterval()));
        keys.putAll(prefixed("kafka.client.", kafka.extra()));
        return keys;
    }

    private static String millis(Duration d) {
        return d.toMillis() + "ms";
    }

    private static Map<String, String> prefixed(String prefix, Map<String, String> values) {
        Map<String, String> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /**
     * Starts {@code size} workers from {@code base} (named {@code worker-1..n}, each with its own admin port)
     * and waits until each answers {@code /health/ready}. A {@code kafka.client.group.instance.id} in
     * {@code base} makes them static members, each with that id and its name appended. {@code drainWait} bounds how long a SIGTERM may take
     * before it becomes a SIGKILL; give it more than {@code worker.shutdown-timeout}.
     */
    public static WorkerFleet start(ServiceProcess.Spec base, int size, Duration drainWait, Duration readyTimeout) {
        if (size < 1) {
            throw new IllegalArgumentException("a fleet needs at least one worker, was " + size);
        }
        List<ServiceProcess> started = new ArrayList<>();
        try {
            for (int i = 1; i <= size; i++) {
                String name = "worker-" + i;
                ServiceProcess.Spec spec = base.named(name);
                String instance = base.config().get(INSTANCE_ID);
                if (instance != null) {
                    spec = spec.with(INSTANCE_ID, instance + "-" + name);
                }
                started.add(ServiceProcess.start(spec));
            }
            for (ServiceProcess worker : started) {
                worker.awaitReady(readyTimeout);
            }
        } catch (RuntimeException e) {
            started.forEach(ServiceProcess::close);
            throw e;
        }
        return new WorkerFleet(started, drainWait, readyTimeout);
    }

    public List<ServiceProcess> workers() {
        return workers;
    }

    public ServiceProcess worker(int index) {
        return workers.get(index);
    }

    /** SIGKILL worker {@code index}, then start it again at once with the same settings. */
    public void killAndRestart(int index) {
        ServiceProcess worker = workers.get(index);
        worker.kill();
        kills.incrementAndGet();
        log.atInfo().setMessage("worker killed").addKeyValue("event", "fleet_worker_killed")
                .addKeyValue("worker", worker.name()).log();
        worker.restart();
    }

    /**
     * SIGTERM worker {@code index}, wait for its drain and exit, start it again and wait until it is ready, as a
     * rollout waits for readiness before it stops the next instance; returns the exit code.
     */
    public int rollingRestart(int index) {
        ServiceProcess worker = workers.get(index);
        int exit = worker.terminate(drainWait);
        restarts.incrementAndGet();
        log.atInfo().setMessage("worker restarted").addKeyValue("event", "fleet_worker_restarted")
                .addKeyValue("worker", worker.name()).addKeyValue("exit", exit).log();
        worker.restart();
        worker.awaitReady(readyTimeout);
        return exit;
    }

    /** Does {@code disruption} to the next worker in turn. */
    public void disrupt(Disruption disruption) {
        int index = Math.floorMod(next.getAndIncrement(), workers.size());
        if (disruption == Disruption.KILL) {
            killAndRestart(index);
        } else {
            rollingRestart(index);
        }
    }

    /**
     * {@link #disrupt}s the next worker {@code period} after the previous disruption ended (a restart ends when
     * the worker is ready again), starting one period from now, until {@link #stopDisruptions}.
     */
    public synchronized void disruptEvery(Duration period, Disruption disruption) {
        if (schedule != null) {
            throw new IllegalStateException("disruptions already scheduled");
        }
        schedule = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "worker-fleet-" + disruption.cliName());
            t.setDaemon(true);
            return t;
        });
        schedule.scheduleWithFixedDelay(() -> {
            try {
                disrupt(disruption);
            } catch (RuntimeException e) {
                log.atWarn().setMessage("fleet disruption failed").addKeyValue("event", "fleet_disruption_failed")
                        .addKeyValue("error", e.toString()).log();
            }
        }, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Stops scheduled disruptions, waiting for one under way to finish (its worker is started again). */
    public synchronized void stopDisruptions() {
        if (schedule == null) {
            return;
        }
        schedule.shutdown();
        try {
            if (!schedule.awaitTermination(drainWait.plus(readyTimeout).toMillis() + 30_000, TimeUnit.MILLISECONDS)) {
                schedule.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            schedule.shutdownNow();
        }
    }

    /** SIGKILLs done so far. */
    public long kills() {
        return kills.get();
    }

    /** SIGTERM restarts done so far. */
    public long restarts() {
        return restarts.get();
    }

    /** The pids of the workers running now. */
    public java.util.Set<Long> livePids() {
        java.util.Set<Long> pids = new java.util.HashSet<>();
        for (ServiceProcess worker : workers) {
            if (worker.isAlive()) {
                pids.add(worker.pid());
            }
        }
        return pids;
    }

    public boolean allAlive() {
        return workers.stream().allMatch(ServiceProcess::isAlive);
    }

    /** The last lines of every worker's current log, for a failure message. */
    public String tails(int lines) {
        StringBuilder out = new StringBuilder();
        for (ServiceProcess worker : workers) {
            out.append("--- ").append(worker).append(" (").append(worker.log()).append(")\n")
                    .append(worker.tail(lines)).append('\n');
        }
        return out.toString();
    }

    /** Stops disruptions, then stops every worker gracefully (SIGTERM, SIGKILL after the drain wait). */
    @Override
    public void close() {
        stopDisruptions();
        for (ServiceProcess worker : workers) {
            if (worker.isAlive()) {
                worker.terminate(drainWait);
            }
        }
    }
}
