package dev.paypipe.ledger;

import dev.paypipe.config.ConfigException;
import dev.paypipe.config.ConfigKey;
import dev.paypipe.config.ConfigSource;
import dev.paypipe.config.ConfigTable;
import dev.paypipe.config.KafkaSettings;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Everything the payment ledger needs, validated once at start ({@code ledger.*} keys).
 *
 * @param applicationId the Kafka Streams application id: consumer group, transactional id prefix and the
 *     prefix of the store's changelog topic ({@code ledger.application-id}, default {@code paypipe-ledger})
 * @param retention how long a payment's entry is kept after its last change, and the oldest {@code createdAt}
 *     the door accepts ({@code ledger.retention}, default 7 days)
 * @param createdAtSkew how far in the future a {@code createdAt} may lie ({@code ledger.created-at-skew}, 5 minutes)
 * @param commitInterval how often the Streams transaction commits; results become visible to read_committed
 *     consumers at this pace ({@code ledger.commit-interval}, default 100 ms)
 * @param minCommitInterval how often it commits while it keeps up, every record processed within one commit interval
 *     of being written ({@code ledger.min-commit-interval}, default 20 ms; equal to the commit interval: no pacing)
 * @param expiryInterval how often expired entries are swept ({@code ledger.expiry-interval}, default 10 minutes)
 * @param streamThreads Streams threads in this process ({@code ledger.stream-threads}, default 1)
 * @param stateDir where RocksDB keeps the store ({@code ledger.state-dir}, default {@code <tmp>/paypipe-ledger})
 * @param httpHost the status endpoint's bind address ({@code ledger.http-host}, default 127.0.0.1)
 * @param httpPort the status endpoint's port, 0 for any free one ({@code ledger.http-port}, default 8090)
 * @param advertisedHost the host other ledger instances use to reach this one's status endpoint
 *     ({@code ledger.advertised-host}, default the bind address)
 */
public record LedgerConfig(
        KafkaSettings kafka,
        String applicationId,
        Duration retention,
        Duration createdAtSkew,
        Duration commitInterval,
        Duration minCommitInterval,
        Duration expiryInterval,
        int streamThreads,
        Path stateDir,
        String httpHost,
        int httpPort,
        String advertisedHost) {

    public static final String DEFAULT_APPLICATION_ID = "paypipe-ledger";
    public static final int DEFAULT_HTTP_PORT = 8090;

    /** The {@code ledger.*} keys. */
    public static final ConfigTable KEYS = new ConfigTable("ledger",
            "The payment ledger (Kafka Streams): the door, the exit and the status store.");
    public static final ConfigKey<String> APPLICATION_ID = KEYS.key("ledger.application-id").string(null)
            .check("1-200 characters of [A-Za-z0-9._-]", v -> v.matches("[A-Za-z0-9._-]{1,200}"))
            .defaultText("<kafka.topic-prefix>paypipe-ledger")
            .doc("Kafka Streams application id: consumer group, transactional id and changelog prefix.");
    public static final ConfigKey<Duration> RETENTION = KEYS.key("ledger.retention").duration(Duration.ofDays(7))
            .between(Duration.ofMinutes(1), Duration.ofDays(3650))
            .doc("How long an entry is kept after its last change, and the oldest createdAt the door accepts.");
    public static final ConfigKey<Duration> CREATED_AT_SKEW = KEYS.key("ledger.created-at-skew")
            .duration(Duration.ofMinutes(5)).between(Duration.ZERO, Duration.ofDays(1))
            .doc("How far in the future a createdAt may lie.");
    public static final ConfigKey<Duration> COMMIT_INTERVAL = KEYS.key("ledger.commit-interval")
            .duration(Duration.ofMillis(100)).between(Duration.ofMillis(1), Duration.ofMinutes(1))
            .doc("Streams transaction commit interval: the pace at which results become visible to read_committed.");
    public static final ConfigKey<Duration> MIN_COMMIT_INTERVAL = KEYS.key("ledger.min-commit-interval")
            .duration(Duration.ofMillis(20)).between(Duration.ofMillis(1), Duration.ofMinutes(1))
            .doc("How often the ledger commits while it keeps up (every record processed within ledger.commit-interval "
                    + "of being written); behind, it commits every ledger.commit-interval. Equal to it: no pacing.");
    public static final ConfigKey<Duration> EXPIRY_INTERVAL = KEYS.key("ledger.expiry-interval")
            .duration(Duration.ofMinutes(10)).between(Duration.ofSeconds(1), Duration.ofDays(1))
            .doc("How often expired entries are swept.");
    public static final ConfigKey<Integer> STREAM_THREADS = KEYS.key("ledger.stream-threads").integer(1).between(1, 64)
            .doc("Kafka Streams threads in this process.");
    public static final ConfigKey<String> STATE_DIR = KEYS.key("ledger.state-dir")
            .string(Path.of(System.getProperty("java.io.tmpdir"), "paypipe-ledger").toString())
            .nonBlank("a directory").defaultText("<java.io.tmpdir>/paypipe-ledger")
            .doc("Where RocksDB keeps the store.");
    public static final ConfigKey<String> HTTP_HOST = KEYS.key("ledger.http-host").string("127.0.0.1")
            .nonBlank("a host name or address").doc("Bind address of the status endpoint (GET /payments/{id}).");
    public static final ConfigKey<Integer> HTTP_PORT = KEYS.key("ledger.http-port").integer(DEFAULT_HTTP_PORT)
            .between(0, 65535).doc("Port of the status endpoint; 0 picks a free one.");
    public static final ConfigKey<String> ADVERTISED_HOST = KEYS.key("ledger.advertised-host").string(null)
            .nonBlank("a host name or address").defaultText("same as ledger.http-host")
            .doc("Host other ledger instances use to reach this one's status endpoint.");

    public LedgerConfig {
        Objects.requireNonNull(kafka, "kafka");
        Objects.requireNonNull(stateDir, "stateDir");
        require(applicationId != null && applicationId.matches("[A-Za-z0-9._-]{1,200}"), "ledger.application-id",
                applicationId, "1-200 characters of [A-Za-z0-9._-]");
        require(retention != null && !retention.isNegative() && !retention.isZero(), "ledger.retention", retention,
                "a positive duration");
        require(createdAtSkew != null && !createdAtSkew.isNegative(), "ledger.created-at-skew", createdAtSkew,
                "a duration >= 0");
        require(commitInterval != null && !commitInterval.isNegative() && !commitInterval.isZero(),
                "ledger.commit-interval", commitInterval, "a positive duration");
        require(minCommitInterval != null && !minCommitInterval.isNegative() && !minCommitInterval.isZero()
                && minCommitInterval.compareTo(commitInterval) <= 0, "ledger.min-commit-interval", minCommitInterval,
                "a positive duration no longer than ledger.commit-interval (" + commitInterval + ")");
        require(expiryInterval != null && !expiryInterval.isNegative() && !expiryInterval.isZero(),
                "ledger.expiry-interval", expiryInterval, "a positive duration");
        require(streamThreads >= 1 && streamThreads <= 64, "ledger.stream-threads", streamThreads, "1-64");
        require(httpHost != null && !httpHost.isBlank(), "ledger.http-host", httpHost, "a host name or address");
        require(httpPort >= 0 && httpPort <= 65535, "ledger.http-port", httpPort, "0-65535");
        require(advertisedHost != null && !advertisedHost.isBlank(), "ledger.advertised-host", advertisedHost,
                "a host name or address");
    }

    private static void require(boolean ok, String key, Object value, String expected) {
        if (!ok) {
            throw new ConfigException(key, "invalid config " + key + "='" + value + "': expected " + expected);
        }
    }

    /** Defaults around a Kafka cluster (tests, demo): a fresh state directory, any free HTTP port. */
    public static LedgerConfig of(KafkaSettings kafka, Path stateDir) {
        return new LedgerConfig(kafka, defaultApplicationId(kafka), Duration.ofDays(7), Duration.ofMinutes(5),
                COMMIT_INTERVAL.defaultValue(), MIN_COMMIT_INTERVAL.defaultValue(), Duration.ofMinutes(10), 1, stateDir,
                "127.0.0.1", 0, "127.0.0.1");
    }

    public static LedgerConfig from(ConfigSource c) {
        KafkaSettings kafka = KafkaSettings.from(c);
        String host = c.get(HTTP_HOST);
        return new LedgerConfig(kafka, c.get(APPLICATION_ID, defaultApplicationId(kafka)), c.get(RETENTION),
                c.get(CREATED_AT_SKEW), c.get(COMMIT_INTERVAL), c.get(MIN_COMMIT_INTERVAL), c.get(EXPIRY_INTERVAL),
                c.get(STREAM_THREADS),
                Path.of(c.get(STATE_DIR)), host, c.get(HTTP_PORT), c.get(ADVERTISED_HOST, host));
    }

    /** {@code paypipe-ledger}, behind the topic prefix when there is one ({@code staging.paypipe-ledger}). */
    static String defaultApplicationId(KafkaSettings kafka) {
        String requests = kafka.topics().requests();
        String prefix = requests.endsWith("payment-requests")
                ? requests.substring(0, requests.length() - "payment-requests".length()) : "";
        return prefix + DEFAULT_APPLICATION_ID;
    }

    public LedgerConfig withApplicationId(String id) {
        return new LedgerConfig(kafka, id, retention, createdAtSkew, commitInterval, minCommitInterval, expiryInterval,
                streamThreads, stateDir, httpHost, httpPort, advertisedHost);
    }

    public LedgerConfig withHttpPort(int port) {
        return new LedgerConfig(kafka, applicationId, retention, createdAtSkew, commitInterval, minCommitInterval,
                expiryInterval, streamThreads, stateDir, httpHost, port, advertisedHost);
    }

    public LedgerConfig withStateDir(Path dir) {
        return new LedgerConfig(kafka, applicationId, retention, createdAtSkew, commitInterval, minCommitInterval,
                expiryInterval, streamThreads, dir, httpHost, httpPort, advertisedHost);
    }

    public LedgerConfig withRetention(Duration r) {
        return new LedgerConfig(kafka, applicationId, r, createdAtSkew, commitInterval, minCommitInterval, expiryInterval,
                streamThreads, stateDir, httpHost, httpPort, advertisedHost);
    }

    /** The store's changelog topic as Kafka Streams names it. */
    public String changelogTopic() {
        return applicationId + "-" + LedgerTopology.STORE + "-changelog";
    }

    /** Where the door re-publishes a request that arrived on another partition than its key's. */
    public String rerouteTopic() {
        return applicationId + "-door-reroute";
    }
}
