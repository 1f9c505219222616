package dev.paypipe.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.control.ControlCodec;
import dev.paypipe.control.ControlState;
import dev.paypipe.control.FleetStatus;
import dev.paypipe.control.StatusReport;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The fleet's standing orders and every live process, from the heartbeats on the control topic. */
@Command(name = "status", mixinStandardHelpOptions = true,
        description = "Show whether the fleet is paused (by whom, why), the breaker mode, and every live process "
                + "(heartbeat younger than --max-age): paused, breaker state, in-flight calls, lag per partition, "
                + "retry backlog by tier.")
final class StatusCommand implements Callable<Integer> {
    @Mixin
    ConfigOption config;

    @Option(names = "--max-age", defaultValue = "15s", converter = DurationConverter.class,
            description = "A process whose last heartbeat is older is considered gone (default ${DEFAULT-VALUE}).")
    Duration maxAge;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Override
    public Integer call() throws Exception {
        KafkaSettings kafka = KafkaSettings.from(config.load());
        Instant now = Instant.now();
        FleetStatus fleet = FleetStatus.read(kafka, now, maxAge);
        if (json) {
            System.out.println(new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(toJson(fleet)));
        } else {
            print(fleet, now, System.out);
        }
        return 0;
    }

    static void print(FleetStatus fleet, Instant now, PrintStream out) {
        ControlState o = fleet.orders();
        out.println(o.paused()
                ? "fleet: PAUSED by " + o.pausedBy() + " since " + o.pausedAt() + ": " + o.pauseReason()
                : "fleet: running");
        out.println("breaker mode: " + o.breakerMode().cliName());
        out.printf("%d live process(es)%s%n", fleet.live().size(),
                fleet.stale() > 0 ? ", " + fleet.stale() + " stale heartbeat(s) ignored" : "");
        if (fleet.live().isEmpty()) {
            return;
        }
        out.printf("%-28s %-15s %-16s %5s %-7s %-12s %9s %9s  %s%n", "INSTANCE", "ROLE", "HOST", "AGE", "PAUSED",
                "BREAKER", "IN-FLIGHT", "LAG", "RETRY BACKLOG");
        for (StatusReport r : fleet.live()) {
            out.printf("%-28s %-15s %-16s %4ds %-7s %-12s %9d %9d  %s%n", r.instanceId(), r.role(), r.host(),
                    Duration.between(r.at(), now).toSeconds(), r.paused() ? "yes" : "no", r.breaker(), r.inFlight(),
                    r.totalLag(), join(r.retryBacklog()));
            if (!r.lag().isEmpty()) {
                out.println("    lag: " + join(r.lag()));
            }
            if (r.paused() && r.pauseReason() != null) {
                out.println("    paused by " + r.pausedBy() + ": " + r.pauseReason());
            }
        }
    }

    private static String join(Map<String, Long> values) {
        return values.isEmpty() ? "-" : new TreeMap<>(values).entrySet().stream()
                .map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
    }

    private static ObjectNode toJson(FleetStatus fleet) {
        ObjectMapper mapper = new ObjectMapper();
        ObjectNode root = mapper.createObjectNode();
        ControlState o = fleet.orders();
        root.putObject("fleet").put("paused", o.paused()).put("pausedBy", o.pausedBy()).put("pauseReason", o.pauseReason())
                .put("pausedAt", o.pausedAt() == null ? null : o.pausedAt().toString())
                .put("breakerMode", o.breakerMode().cliName());
        ArrayNode live = root.putArray("live");
        fleet.live().forEach(r -> live.add(ControlCodec.toTree(r)));
        root.put("stale", fleet.stale());
        return root;
    }

    static final class DurationConverter implements picocli.CommandLine.ITypeConverter<Duration> {
        @Override
        public Duration convert(String value) {
            Duration d = dev.paypipe.config.ConfigSource.parseDuration(value);
            if (d == null) {
                throw new picocli.CommandLine.TypeConversionException("'" + value + "' is not a duration such as 15s or 2m");
            }
            return d;
        }
    }
}
