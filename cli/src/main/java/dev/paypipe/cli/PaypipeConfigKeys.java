package dev.paypipe.cli;

import dev.paypipe.admin.AdminConfig;
import dev.paypipe.config.ConfigCatalog;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.gateway.GatewayConfig;
import dev.paypipe.ledger.LedgerConfig;
import dev.paypipe.metrics.MetricsConfig;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.worker.WorkerConfig;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every config table of the {@code paypipe} command, and which command reads which. Adding a key is one declaration
 * in its component's table; a new table is added to {@link #TABLES} and to the commands in {@link #READ_BY}.
 */
public final class PaypipeConfigKeys {
    /** Variables read outside the tables: by logback and by the {@code ./paypipe} script. */
    public static final Map<String, String> ENVIRONMENT_ONLY = Map.of(
            "PAYPIPE_LOG_LEVEL", "Level of paypipe's loggers (trace, debug, info, warn, error; default info); a"
                    + " command's --log-level wins. Kafka, Netty and the AWS SDK stay at WARN.",
            "PAYPIPE_JAVA_OPTS", "JVM options for ./paypipe instead of its defaults (-Xmx2g, ...).");
    /** Variables of the test harness and tooling ({@code PAYPIPE_TEST_JDBC_URL}): never reported as unknown. */
    public static final List<String> RESERVED_ENV_PREFIXES = List.of("PAYPIPE_TEST_");

    private static final List<ConfigTable> TABLES = List.of(KafkaSettings.KEYS, WorkerConfig.KEYS,
            WorkerConfig.RETRY_KEYS, WorkerConfig.BreakerSettings.KEYS, GatewayConfig.KEYS, ReconcileSchedule.KEYS,
            LedgerConfig.KEYS, StatusOfCommand.KEYS, DbWriterConfig.DB_KEYS, DbWriterConfig.KEYS, AdminConfig.KEYS, MetricsConfig.KEYS);

    private static final List<ConfigTable> WORKER = List.of(KafkaSettings.KEYS, WorkerConfig.KEYS,
            WorkerConfig.RETRY_KEYS, WorkerConfig.BreakerSettings.KEYS, GatewayConfig.KEYS);
    private static final List<ConfigTable> SERVICE = List.of(AdminConfig.KEYS, MetricsConfig.KEYS);

    /** Command → the tables it reads (its {@code from(ConfigSource)} calls). */
    private static final Map<String, List<ConfigTable>> READ_BY = readBy();
    /** Commands that read single keys of a table they otherwise do not read. */
    private static final Map<ConfigKey<?>, List<String>> SINGLE_KEYS = Map.of(
            LedgerConfig.HTTP_PORT, List.of("status-of"));

    private static final ConfigCatalog CATALOG = new ConfigCatalog(TABLES, ENVIRONMENT_ONLY.keySet(),
            RESERVED_ENV_PREFIXES);

    private PaypipeConfigKeys() {
    }

    private static Map<String, List<ConfigTable>> readBy() {
        Map<String, List<ConfigTable>> m = new LinkedHashMap<>();
        m.put("worker", concat(WORKER, List.of(ReconcileSchedule.KEYS), SERVICE));
        m.put("ledger", concat(List.of(KafkaSettings.KEYS, LedgerConfig.KEYS), SERVICE));
        m.put("db-writer", concat(List.of(KafkaSettings.KEYS, DbWriterConfig.DB_KEYS, DbWriterConfig.KEYS), SERVICE));
        m.put("reconcile", WORKER);
        for (String operator : List.of("pause", "resume", "status", "breaker", "dlq")) {
            m.put(operator, List.of(KafkaSettings.KEYS));
        }
        m.put("status-of", List.of(StatusOfCommand.KEYS));
        m.put("cloudwatch", List.of(MetricsConfig.KEYS));
        return m;
    }

    @SafeVarargs
    private static List<ConfigTable> concat(List<ConfigTable>... parts) {
        return Arrays.stream(parts).flatMap(List::stream).toList();
    }

    /** Every declared key: name, type, default, rules, doc and {@link ConfigKey#envName() environment variable}. */
    public static List<ConfigKey<?>> all() {
        return CATALOG.keys();
    }

    /** The tables, the pass-through prefixes and the unknown-key check of this command. */
    public static ConfigCatalog catalog() {
        return CATALOG;
    }

    /**
     * True when a {@code paypipe} process reads this environment variable: a declared key's, one under a
     * pass-through prefix ({@code PAYPIPE_KAFKA_CLIENT_*}, {@code PAYPIPE_METRICS_TAG_*}) or an environment-only one.
     */
    public static boolean knowsEnvironmentVariable(String name) {
        return CATALOG.knowsEnv(name);
    }

    /** The commands that read a key, alphabetically. */
    public static Set<String> readBy(ConfigKey<?> key) {
        Set<String> commands = new TreeSet<>(SINGLE_KEYS.getOrDefault(key, List.of()));
        READ_BY.forEach((command, tables) -> {
            if (tables.stream().anyMatch(t -> t.keys().contains(key))) {
                commands.add(command);
            }
        });
        return commands;
    }

    /** The commands that read a table's pass-through keys. */
    static Set<String> readBy(ConfigTable table) {
        Set<String> commands = new TreeSet<>();
        READ_BY.forEach((command, tables) -> {
            if (tables.contains(table)) {
                commands.add(command);
            }
        });
        return commands;
    }
}
