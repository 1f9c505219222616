package dev.paypipe.ledger;

import dev.paypipe.control.BreakerMode;
import dev.paypipe.control.ControlTarget;
import dev.paypipe.control.ProcessInstance;
import dev.paypipe.control.StatusSource;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.streams.KafkaStreams;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the fleet's commands apply to the ledger: a fleet pause is <em>noted, not obeyed</em>. The ledger never calls
 * the gateway; its door and exit keep running so requests are still checked and de-duplicated, and the results of
 * calls the paused workers finish still pass the exit (holding them would only delay clients' answers). The pause
 * is shown in the heartbeat and in {@code /health/ready}. Breaker commands do not concern it.
 */
public final class LedgerControl implements ControlTarget {
    private static final Logger log = LoggerFactory.getLogger(LedgerControl.class);

    /** The fleet pause as the ledger last saw it; {@code since} is when this process learnt of it. */
    public record FleetPause(String reason, String by, Instant since) {
    }

    private final Clock clock;
    private volatile FleetPause pause;

    public LedgerControl(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void pause(String reason, String by) {
        FleetPause current = pause;
        pause = new FleetPause(reason, by, current == null ? clock.instant() : current.since());
        if (current == null) {
            log.atWarn().setMessage("fleet paused; the ledger keeps its door and exit running")
                    .addKeyValue("event", "ledger_fleet_paused").addKeyValue("by", by).addKeyValue("reason", reason)
                    .log();
        }
    }

    @Override
    public void resume() {
        FleetPause was = pause;
        pause = null;
        if (was != null) {
            log.atInfo().setMessage("fleet resumed").addKeyValue("event", "ledger_fleet_resumed")
                    .addKeyValue("pausedBy", was.by()).log();
        }
    }

    @Override
    public void breaker(BreakerMode mode) {
    }

    public Optional<FleetPause> fleetPause() {
        return Optional.ofNullable(pause);
    }

    /**
     * Heartbeat: the fleet pause (reported, not applied: {@code details.processing=running}), the Streams state and
     * the consumer lag per partition of the ledger's input topics, read from the Streams client's metrics.
     */
    public StatusSource statusSource(ProcessInstance instance, Supplier<KafkaStreams.State> state,
            Supplier<Map<MetricName, ? extends Metric>> streamsMetrics) {
        return () -> {
            FleetPause p = pause;
            Map<String, String> details = new LinkedHashMap<>();
            details.put("streams", state.get().name());
            details.put("processing", "running");
            if (p != null) {
                details.put("pausedSince", p.since().toString());
            }
            return instance.report(clock.instant(), p != null, p == null ? null : p.by(), p == null ? null : p.reason(),
                    null, 0, lagByPartition(streamsMetrics.get()), Map.of(), details);
        };
    }

    /**
     * {@code records-lag} of the main consumers' partitions ({@code topic-partition} → records); the restore
     * consumer's changelog lag is left out (it is not work waiting).
     */
    static Map<String, Long> lagByPartition(Map<MetricName, ? extends Metric> metrics) {
        Map<String, Long> lag = new TreeMap<>();
        for (Map.Entry<MetricName, ? extends Metric> e : metrics.entrySet()) {
            MetricName name = e.getKey();
            String client = name.tags().getOrDefault("client-id", "");
            if (name.name().equals("records-lag") && name.group().equals("consumer-fetch-manager-metrics")
                    && name.tags().containsKey("partition") && !client.endsWith("restore-consumer")
                    && e.getValue().metricValue() instanceof Number n && !Double.isNaN(n.doubleValue())) {
                lag.merge(name.tags().get("topic") + "-" + name.tags().get("partition"), n.longValue(), Long::sum);
            }
        }
        return lag;
    }
}
