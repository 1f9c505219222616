package dev.paypipe.testkit;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Properties;
import java.util.stream.Stream;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.apache.kafka.metadata.storage.Formatter;
import org.apache.kafka.server.common.Feature;
import org.apache.kafka.server.common.MetadataVersion;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-node KRaft Kafka (combined broker and controller) running inside this JVM, built from
 * Kafka's own server artifacts. Starts in about 3 s; data lives in a temporary directory that is
 * deleted on {@link #close()}.
 */
public final class EmbeddedKafkaBroker implements KafkaBroker {
    private static final Logger log = LoggerFactory.getLogger(EmbeddedKafkaBroker.class);

    private final KafkaConfig config;
    private final Path dataDir;
    private final String bootstrap;
    private KafkaRaftServer server;

    private EmbeddedKafkaBroker(KafkaConfig config, KafkaRaftServer server, Path dataDir, String bootstrap) {
        this.config = config;
        this.server = server;
        this.dataDir = dataDir;
        this.bootstrap = bootstrap;
    }

    /** Starts a broker on free loopback ports. */
    public static EmbeddedKafkaBroker start() {
        return start(Ports.free());
    }

    /** Starts a broker whose client listener is on {@code port}. */
    public static EmbeddedKafkaBroker start(int port) {
        int controllerPort = Ports.free();
        Path dir;
        try {
            dir = Files.createTempDirectory("paypipe-kafka-");
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create a data directory for the embedded broker", e);
        }
        String logDir = dir.resolve("log").toString();
        Properties p = new Properties();
        p.put("process.roles", "broker,controller");
        p.put("node.id", "1");
        p.put("controller.quorum.voters", "1@127.0.0.1:" + controllerPort);
        p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
        p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
        p.put("controller.listener.names", "CONTROLLER");
        p.put("inter.broker.listener.name", "PLAINTEXT");
        p.put("listener.security.protocol.map", "PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT");
        p.put("log.dirs", logDir);
        p.put("num.partitions", "1");
        p.put("auto.create.topics.enable", "false");
        p.put("offsets.topic.replication.factor", "1");
        p.put("offsets.topic.num.partitions", "4");
        p.put("transaction.state.log.replication.factor", "1");
        p.put("transaction.state.log.min.isr", "1");
        p.put("transaction.state.log.num.partitions", "4");
        p.put("share.coordinator.state.topic.replication.factor", "1");
        p.put("share.coordinator.state.topic.min.isr", "1");
        p.put("group.initial.rebalance.delay.ms", "0");
        // The new consumer protocol (group.protocol=consumer) and the streams protocol take their session timeout
        // and heartbeat from the broker (45 s and 5 s by default, no lower): a real cluster's operators set these.
        // Here they match the classic clients' paypipe defaults (6 s, 1.5 s), so the protocols can be compared.
        for (String type : new String[] {"consumer", "streams"}) {
            p.put("group." + type + ".min.session.timeout.ms", "6000");
            p.put("group." + type + ".session.timeout.ms", "6000");
            p.put("group." + type + ".min.heartbeat.interval.ms", "1000");
            p.put("group." + type + ".heartbeat.interval.ms", "1500");
        }
        p.put("log.segment.bytes", String.valueOf(64 * 1024 * 1024));
        p.put("log.cleaner.dedupe.buffer.size", String.valueOf(8 * 1024 * 1024));
        p.put("num.network.threads", "2");
        p.put("num.io.threads", "4");
        p.put("message.max.bytes", String.valueOf(2 * 1024 * 1024));

        KafkaConfig config = KafkaConfig.fromProps(p, false);
        try {
            new Formatter()
                    .setPrintStream(new PrintStream(OutputStream.nullOutputStream()))
                    .setSupportedFeatures(Feature.PRODUCTION_FEATURES)
                    .setNodeId(1)
                    .setClusterId(Uuid.randomUuid().toString())
                    .addDirectory(logDir)
                    .setMetadataLogDirectory(logDir)
                    .setControllerListenerName("CONTROLLER")
                    .setReleaseVersion(MetadataVersion.latestProduction())
                    .run();
        } catch (Exception e) {
            throw new IllegalStateException("cannot format storage for the embedded Kafka broker in " + dir, e);
        }
        KafkaRaftServer server = new KafkaRaftServer(config, Time.SYSTEM);
        long started = System.nanoTime();
        server.startup();
        String bootstrap = "127.0.0.1:" + port;
        log.info("embedded Kafka broker (KRaft) ready at {} in {} ms", bootstrap,
                (System.nanoTime() - started) / 1_000_000);
        return new EmbeddedKafkaBroker(config, server, dir, bootstrap);
    }

    /** Shuts the broker down cleanly, keeping its log directory: clients see connection refused. */
    public synchronized void stop() {
        if (server != null) {
            server.shutdown();
            server.awaitShutdown();
            server = null;
        }
    }

    /** Starts the broker again on the same ports and log directory (topics, offsets and transactions kept). */
    public synchronized void restart() {
        if (server != null) {
            return;
        }
        long started = System.nanoTime();
        server = new KafkaRaftServer(config, Time.SYSTEM);
        server.startup();
        log.info("embedded Kafka broker (KRaft) restarted at {} in {} ms", bootstrap,
                (System.nanoTime() - started) / 1_000_000);
    }

    @Override
    public String bootstrapServers() {
        return bootstrap;
    }

    @Override
    public String describe() {
        return "in-process KRaft broker at " + bootstrap;
    }

    @Override
    public void close() {
        stop();
        deleteRecursively(dataDir);
    }

    /**
     * Deletes {@code dir} and everything under it. A file that vanishes during the walk (a server still removing
     * its own pid file as it stops) is what deleting wanted anyway: the walk starts again, up to three times.
     */
    static void deleteRecursively(Path dir) {
        for (int attempt = 1; attempt <= 3 && Files.exists(dir); attempt++) {
            try (Stream<Path> paths = Files.walk(dir)) {
                paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            } catch (IOException | UncheckedIOException e) {
                if (attempt == 3) {
                    log.warn("could not delete {}: {}", dir, e.toString());
                }
            }
        }
    }
}
