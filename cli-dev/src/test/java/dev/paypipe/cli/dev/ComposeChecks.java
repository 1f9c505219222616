package dev.paypipe.cli.dev;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.cli.PaypipeCommand;
import dev.paypipe.cli.PaypipeConfigKeys;
import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.worker.WorkerConfig;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.ParseResult;

/**
 * What {@code docker-compose.yml} must agree with in the code, as a list of problems (empty = agrees): each paypipe
 * service's command parses against the real picocli model of its image's jar, each {@code PAYPIPE_*} variable is a
 * declared config key read by that command (or by an operator command run in its container), each value passes
 * start-up validation, long-running services are health-checked on their admin readiness endpoint, and every
 * {@code depends_on} names a service.
 */
final class ComposeChecks {
    /** Dockerfile target → the command line its image's entrypoint runs. */
    static final Map<String, Supplier<CommandLine>> TARGETS = Map.of(
            "paypipe", PaypipeCommand::commandLine,
            "paypipe-dev", PaypipeDevCommand::commandLine);
    /**
     * Commands an operator runs inside any service's container ({@code docker compose exec worker-1 paypipe ...}).
     * Not reconcile: it reads the worker's keys and runs where a worker runs.
     */
    static final Set<String> OPERATOR_COMMANDS = Set.of("pause", "resume", "status", "status-of", "breaker", "dlq",
            "cloudwatch");
    /** Long-running commands, each serving /health/ready on admin.port; and the config each validates at start. */
    static final Map<String, Consumer<ConfigSource>> SERVICES = Map.of(
            "worker", WorkerConfig::from,
            "ledger", LedgerConfig::from,
            "db-writer", DbWriterConfig::from);

    private final List<String> problems = new ArrayList<>();

    private ComposeChecks() {
    }

    /** Every disagreement between the parsed compose file and the code, one line each. */
    static List<String> problems(Map<String, Object> compose) {
        ComposeChecks checks = new ComposeChecks();
        Map<String, Object> services = map(compose.get("services"));
        services.forEach((name, service) -> checks.checkService(name, map(service), services.keySet()));
        return checks.problems;
    }

    private void checkService(String name, Map<String, Object> service, Set<String> allServices) {
        for (String dependency : dependsOn(service)) {
            if (!allServices.contains(dependency)) {
                problems.add(name + ": depends_on names no service: " + dependency);
            }
        }
        Object build = service.get("build");
        if (build == null) {
            return; // a third-party image (Kafka, PostgreSQL)
        }
        String target = String.valueOf(map(build).get("target"));
        Supplier<CommandLine> cli = TARGETS.get(target);
        if (cli == null) {
            problems.add(name + ": build target " + target + " is none of " + TARGETS.keySet());
            return;
        }
        Optional<String> command = checkCommand(name, service.get("command"), cli.get());
        Map<String, String> env = environment(service.get("environment"));
        command.ifPresent(c -> checkEnvironment(name, target, c, env));
        command.filter(SERVICES::containsKey).ifPresent(c -> checkHealth(name, service, env));
    }

    /** Parses the command with the image's command line; returns its subcommand when it parses. */
    private Optional<String> checkCommand(String service, Object command, CommandLine cli) {
        if (!(command instanceof List<?> args)) {
            problems.add(service + ": command must be a list (exec form), got " + command);
            return Optional.empty();
        }
        List<String> argv = args.stream().map(String::valueOf).toList();
        ParseResult parsed;
        try {
            parsed = cli.parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.ParameterException e) {
            problems.add(service + ": command " + argv + " does not parse: " + e.getMessage());
            return Optional.empty();
        }
        if (!parsed.hasSubcommand()) {
            problems.add(service + ": command " + argv + " names no subcommand of " + cli.getCommandName());
            return Optional.empty();
        }
        return Optional.of(parsed.subcommand().commandSpec().name());
    }

    private void checkEnvironment(String service, String target, String command, Map<String, String> env) {
        Map<String, String> keys = new LinkedHashMap<>();
        env.forEach((variable, value) -> {
            if (!variable.startsWith(ConfigSource.ENV_PREFIX)) {
                return; // JAVA_OPTS and the like
            }
            if (!PaypipeConfigKeys.knowsEnvironmentVariable(variable)) {
                problems.add(service + ": " + variable + " is no declared config key");
                return;
            }
            Optional<ConfigKey<?>> key = declaredKey(variable);
            if (key.isEmpty()) {
                return; // environment-only (PAYPIPE_LOG_LEVEL) or a pass-through prefix
            }
            keys.put(key.get().name(), value);
            Set<String> readers = PaypipeConfigKeys.readBy(key.get());
            boolean read = readers.contains(command) || readers.stream().anyMatch(OPERATOR_COMMANDS::contains);
            if ("paypipe".equals(target) && !read) {
                problems.add(service + ": " + variable + " (" + key.get().name() + ") is read by " + readers
                        + ", not by " + command);
            }
        });
        ConfigSource source = ConfigSource.of(keys);
        for (String name : keys.keySet()) {
            PaypipeConfigKeys.catalog().key(name).ifPresent(key -> validate(service, () -> source.get(key)));
        }
        Consumer<ConfigSource> startUp = SERVICES.get(command);
        if (startUp != null) {
            validate(service, () -> startUp.accept(source));
            validate(service, () -> AdminConfig.from(source));
            validate(service, () -> MetricsConfig.from(source));
        }
    }

    private void validate(String service, Runnable check) {
        try {
            check.run();
        } catch (ConfigException e) {
            problems.add(service + ": bad configuration: " + e.getMessage());
        }
    }

    /** The readiness probe must ask the process's own admin port (admin.port, default 8081) for /health/ready. */
    private void checkHealth(String service, Map<String, Object> definition, Map<String, String> env) {
        String port = env.getOrDefault(ConfigSource.envName("admin.port"), String.valueOf(AdminConfig.DEFAULT_PORT));
        String expected = "http://127.0.0.1:" + port + "/health/ready";
        Object test = map(definition.getOrDefault("healthcheck", Map.of())).get("test");
        String probe = test instanceof List<?> parts ? parts.stream().map(String::valueOf)
                .collect(Collectors.joining(" ")) : String.valueOf(test);
        if (!probe.contains(expected)) {
            problems.add(service + ": healthcheck must probe " + expected + ", has " + probe);
        }
    }

    private static Optional<ConfigKey<?>> declaredKey(String variable) {
        return PaypipeConfigKeys.all().stream().filter(k -> k.envName().equals(variable)).findFirst();
    }

    private static List<String> dependsOn(Map<String, Object> service) {
        Object deps = service.get("depends_on");
        if (deps instanceof Map<?, ?> m) {
            return m.keySet().stream().map(String::valueOf).toList();
        }
        if (deps instanceof List<?> l) {
            return l.stream().map(String::valueOf).toList();
        }
        return List.of();
    }

    /** Compose allows a map or a list of {@code NAME=value}. */
    private static Map<String, String> environment(Object env) {
        Map<String, String> out = new LinkedHashMap<>();
        if (env instanceof Map<?, ?> m) {
            m.forEach((k, v) -> out.put(String.valueOf(k), v == null ? "" : String.valueOf(v)));
        } else if (env instanceof List<?> l) {
            for (Object entry : l) {
                String s = String.valueOf(entry);
                int eq = s.indexOf('=');
                out.put(eq < 0 ? s : s.substring(0, eq), eq < 0 ? "" : s.substring(eq + 1));
            }
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Object node) {
        return node instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }
}
