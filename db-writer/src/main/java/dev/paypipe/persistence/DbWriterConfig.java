package dev.paypipe.persistence;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.model.Masking;
import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Everything the db-writer needs, validated once at construction. Each bad value is reported with its
 * config key.
 *
 * @param kafka               cluster and topics; results are read from {@code topics().results()}
 * @param jdbcUrl             {@code db.jdbc-url}, a {@code jdbc:postgresql:} URL without credentials
 * @param user                {@code db.user}
 * @param password            {@code db.password}; never logged
 * @param consumers           {@code db-writer.consumers} (default 2): consumer threads, and so the
 *                            database concurrency cap of this instance
 * @param poolSize            {@code db-writer.pool-size} (default = consumers); must equal {@code consumers}
 * @param groupId             {@code db-writer.group-id} (default {@code paypipe-db-writer})
 * @param maxPollRecords      {@code db-writer.max-poll-records} (default 10000): the largest batch
 * @param retryBackoffMax     {@code db-writer.retry-backoff-max} (default 5s): cap of the wait between
 *                            attempts while the database is unavailable
 * @param retryBackoffInitial {@code db-writer.retry-backoff-initial} (default 100ms)
 * @param connectionTimeout   {@code db-writer.connection-timeout} (default 3s): longest wait for a connection
 * @param schema              {@code db.schema} (default {@code public}): where the table and migrations live
 * @param upsertMethod        {@code db-writer.upsert-method} (default {@code COPY_OPTIMISTIC})
 */
public record DbWriterConfig(
        KafkaSettings kafka,
        String jdbcUrl,
        String user,
        String password,
        int consumers,
        int poolSize,
        String groupId,
        int maxPollRecords,
        Duration retryBackoffMax,
        Duration retryBackoffInitial,
        Duration connectionTimeout,
        String schema,
        UpsertMethod upsertMethod) {

    public static final String DEFAULT_GROUP_ID = "paypipe-db-writer";
    public static final int DEFAULT_CONSUMERS = 2;
    public static final int DEFAULT_MAX_POLL_RECORDS = 10_000;
    public static final Duration DEFAULT_RETRY_BACKOFF_INITIAL = Duration.ofMillis(100);
    public static final Duration DEFAULT_RETRY_BACKOFF_MAX = Duration.ofSeconds(5);
    public static final Duration DEFAULT_CONNECTION_TIMEOUT = Duration.ofSeconds(3);
    public static final UpsertMethod DEFAULT_UPSERT_METHOD = UpsertMethod.COPY_OPTIMISTIC;
    static final int MAX_CONSUMERS = 256;
    private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    /** The {@code db.*} keys: the PostgreSQL database results are written to. */
    public static final ConfigTable DB_KEYS = new ConfigTable("db", "The PostgreSQL database the db-writer writes to.");
    public static final ConfigKey<String> JDBC_URL = DB_KEYS.key("db.jdbc-url").string(null).required()
            .check("a jdbc:postgresql://host:port/database URL", v -> v.startsWith("jdbc:postgresql:"))
            .doc("JDBC URL without credentials.");
    public static final ConfigKey<String> USER = DB_KEYS.key("db.user").string("postgres")
            .nonBlank("a database user name").doc("Database user.");
    public static final ConfigKey<String> PASSWORD = DB_KEYS.key("db.password").password()
            .doc("Database password; never logged.");
    public static final ConfigKey<String> SCHEMA = DB_KEYS.key("db.schema").string("public")
            .check("a lower-case SQL identifier such as public", v -> IDENTIFIER.matcher(v).matches())
            .doc("Schema of the results table and the Flyway migrations.");

    /** The {@code db-writer.*} keys. */
    public static final ConfigTable KEYS = new ConfigTable("db-writer",
            "The db-writer: results to PostgreSQL with database concurrency capped at the consumer count.");
    public static final ConfigKey<Integer> CONSUMERS = KEYS.key("db-writer.consumers").integer(DEFAULT_CONSUMERS)
            .between(1, MAX_CONSUMERS).doc("Consumer threads = connection pool size = database concurrency cap.");
    public static final ConfigKey<Integer> POOL_SIZE = KEYS.key("db-writer.pool-size").integer(null)
            .between(1, MAX_CONSUMERS).defaultText("same as db-writer.consumers")
            .doc("HikariCP pool size; must equal db-writer.consumers.");
    public static final ConfigKey<String> GROUP_ID = KEYS.key("db-writer.group-id").string(DEFAULT_GROUP_ID)
            .nonBlank("a non-blank consumer group id").doc("Consumer group of the db-writers.");
    public static final ConfigKey<Integer> MAX_POLL_RECORDS = KEYS.key("db-writer.max-poll-records")
            .integer(DEFAULT_MAX_POLL_RECORDS).between(1, 100_000).doc("The largest batch: records per poll.");
    public static final ConfigKey<Duration> RETRY_BACKOFF_INITIAL = KEYS.key("db-writer.retry-backoff-initial")
            .duration(DEFAULT_RETRY_BACKOFF_INITIAL).between(Duration.ofMillis(1), Duration.ofMinutes(10))
            .doc("First wait between attempts while the database is unavailable.");
    public static final ConfigKey<Duration> RETRY_BACKOFF_MAX = KEYS.key("db-writer.retry-backoff-max")
            .duration(DEFAULT_RETRY_BACKOFF_MAX).between(Duration.ofMillis(1), Duration.ofMinutes(10))
            .doc("Cap of that wait; at least db-writer.retry-backoff-initial.");
    public static final ConfigKey<Duration> CONNECTION_TIMEOUT = KEYS.key("db-writer.connection-timeout")
            .duration(DEFAULT_CONNECTION_TIMEOUT).between(Duration.ofMillis(250), Duration.ofMinutes(5))
            .doc("Longest wait for a pooled connection.");
    public static final ConfigKey<UpsertMethod> UPSERT_METHOD = KEYS.key("db-writer.upsert-method")
            .oneOf(UpsertMethod.class, DEFAULT_UPSERT_METHOD).doc("How a batch is written: docs/db-writer.md.");

    public DbWriterConfig {
        Objects.requireNonNull(kafka, "kafka");
        // A value built in code meets the same declared rules as a configured one.
        JDBC_URL.check(jdbcUrl);
        USER.check(user);
        password = password == null ? "" : password;
        CONSUMERS.check(consumers);
        if (poolSize != consumers) {
            throw new ConfigException("db-writer.pool-size", "invalid config db-writer.pool-size=" + poolSize
                    + " with db-writer.consumers=" + consumers + ": the pool size must equal the consumer count,"
                    + " because each consumer holds one connection and the pool size is the database"
                    + " concurrency cap; set db-writer.pool-size=" + consumers + " or leave it unset");
        }
        GROUP_ID.check(groupId);
        MAX_POLL_RECORDS.check(maxPollRecords);
        RETRY_BACKOFF_INITIAL.check(retryBackoffInitial);
        RETRY_BACKOFF_MAX.check(retryBackoffMax);
        if (retryBackoffMax.compareTo(retryBackoffInitial) < 0) {
            throw invalid("db-writer.retry-backoff-max", retryBackoffMax,
                    "a duration not below db-writer.retry-backoff-initial=" + retryBackoffInitial);
        }
        CONNECTION_TIMEOUT.check(connectionTimeout);
        SCHEMA.check(schema);
        Objects.requireNonNull(upsertMethod, "upsertMethod");
    }

    /** Reads {@code db.*} and {@code db-writer.*} keys plus {@link KafkaSettings#from}. */
    public static DbWriterConfig from(ConfigSource config) {
        int consumers = config.get(CONSUMERS);
        return new DbWriterConfig(KafkaSettings.from(config), config.get(JDBC_URL), config.get(USER),
                config.get(PASSWORD), consumers, config.get(POOL_SIZE, consumers), config.get(GROUP_ID),
                config.get(MAX_POLL_RECORDS), config.get(RETRY_BACKOFF_MAX), config.get(RETRY_BACKOFF_INITIAL),
                config.get(CONNECTION_TIMEOUT), config.get(SCHEMA), config.get(UPSERT_METHOD));
    }

    /** Defaults for everything but the connection details and the consumer count. */
    public static DbWriterConfig of(KafkaSettings kafka, String jdbcUrl, String user, String password, int consumers) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, consumers, DEFAULT_GROUP_ID,
                DEFAULT_MAX_POLL_RECORDS, DEFAULT_RETRY_BACKOFF_MAX, DEFAULT_RETRY_BACKOFF_INITIAL,
                DEFAULT_CONNECTION_TIMEOUT, "public", DEFAULT_UPSERT_METHOD);
    }

    public DbWriterConfig withGroupId(String id) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, id, maxPollRecords,
                retryBackoffMax, retryBackoffInitial, connectionTimeout, schema, upsertMethod);
    }

    public DbWriterConfig withMaxPollRecords(int records) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, groupId, records,
                retryBackoffMax, retryBackoffInitial, connectionTimeout, schema, upsertMethod);
    }

    public DbWriterConfig withRetryBackoff(Duration initial, Duration max) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, groupId, maxPollRecords,
                max, initial, connectionTimeout, schema, upsertMethod);
    }

    public DbWriterConfig withConnectionTimeout(Duration timeout) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, groupId, maxPollRecords,
                retryBackoffMax, retryBackoffInitial, timeout, schema, upsertMethod);
    }

    public DbWriterConfig withSchema(String name) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, groupId, maxPollRecords,
                retryBackoffMax, retryBackoffInitial, connectionTimeout, name, upsertMethod);
    }

    public DbWriterConfig withUpsertMethod(UpsertMethod method) {
        return new DbWriterConfig(kafka, jdbcUrl, user, password, consumers, poolSize, groupId, maxPollRecords,
                retryBackoffMax, retryBackoffInitial, connectionTimeout, schema, method);
    }

    /** The effective configuration for the start-up log line; the password is masked. */
    @Override
    public String toString() {
        return "DbWriterConfig[bootstrap=" + kafka.bootstrapServers() + ", topic=" + kafka.topics().results()
                + ", dlq=" + kafka.topics().resultsDlq() + ", jdbcUrl=" + maskUrl(jdbcUrl) + ", user=" + user
                + ", password=" + Masking.secret(password) + ", schema=" + schema + ", consumers=" + consumers
                + ", poolSize=" + poolSize + ", groupId=" + groupId + ", maxPollRecords=" + maxPollRecords
                + ", retryBackoff=" + retryBackoffInitial + ".." + retryBackoffMax
                + ", connectionTimeout=" + connectionTimeout + ", upsertMethod=" + upsertMethod + "]";
    }

    /** A password passed as a URL parameter is masked too. */
    static String maskUrl(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1****");
    }

    private static ConfigException invalid(String key, Object value, String expected) {
        return new ConfigException(key, "invalid config " + key + "='" + value + "': expected " + expected);
    }
}
