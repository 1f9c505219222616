package dev.paypipe.cli.dev.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.persistence.DbWriterConfig;
import dev.paypipe.persistence.bench.DbWriterBenchmark;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.testkit.TestInfra;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import jdk.jfr.Configuration;
import jdk.jfr.Recording;

/**
 * {@code paypipe bench}: runs the chosen scenarios one after the other on one embedded broker and PostgreSQL
 * ({@link TestInfra}), each on fresh topics and a fresh database, and returns the report
 * {@code {"machine": {...}, "scenarios": {...}}}. Scenarios that need paypipe's sustained rate (latency-insensitivity,
 * latency, faults, baseline) run the throughput search first when it was not chosen. A benchmark reports; it asserts nothing.
 */
public final class Bench {
    /** The scenarios in the order they run; {@code plannedSeconds} feeds the progress bar of the full sizes. */
    public enum Scenario {
        CEILINGS("ceilings", "ceilings", 45),
        THROUGHPUT("throughput", "throughput", 150),
        LATENCY_INSENSITIVITY("latency-insensitivity", "latencyInsensitivity", 140),
        LATENCY("latency", "latency", 90),
        OUTAGE("outage", "outage", 90),
        FAULTS("faults", "faults", 90),
        DB_WRITER("db-writer", "dbWriter", 60),
        BASELINE("baseline", "baseline", 25);

        private final String cliName;
        private final String key;
        private final int plannedSeconds;

        Scenario(String cliName, String key, int plannedSeconds) {
            this.cliName = cliName;
            this.key = key;
            this.plannedSeconds = plannedSeconds;
        }

        /** The name on the command line, e.g. {@code latency-insensitivity}. */
        public String cliName() {
            return cliName;
        }

        /** The key in the report's {@code scenarios} object, e.g. {@code latencyInsensitivity}. */
        public String key() {
            return key;
        }

        /** A scenario by its command-line name; a bad name lists the good ones. */
        public static Scenario parse(String name) {
            for (Scenario s : values()) {
                if (s.cliName.equalsIgnoreCase(name.trim())) {
                    return s;
                }
            }
            throw new IllegalArgumentException("unknown scenario '" + name + "'; expected one of "
                    + Arrays.stream(values()).map(Scenario::cliName).collect(Collectors.joining(", ")));
        }
    }

    private final BenchSizes sizes;
    private final Path jfrDir;
    private final PrintStream out;
    private final ObjectNode scenarios = JsonNodeFactory.instance.objectNode();
    private SustainedRateSearch.Result sustained50;
    private Map<String, String> compareExtras = Map.of();
    private int givenSustainedRate;

    /**
     * @param jfrDir where each scenario's JFR recording is kept ({@code <scenario>.jfr}); null = no recording
     * @param out where the closing table goes (the progress bar writes to the console's error stream)
     */
    public Bench(BenchSizes sizes, Path jfrDir, PrintStream out) {
        this.sizes = sizes;
        this.jfrDir = jfrDir;
        this.out = out;
    }

    /**
     * Adds a {@code compare} scenario after the chosen ones: the throughput search run twice in this run, first
     * with {@code clientExtras} given to every Kafka client (the "before" of a change that moved a client setting),
     * then without, so the change's effect is a ratio measured under the same load.
     */
    public Bench compareWith(Map<String, String> clientExtras) {
        this.compareExtras = Map.copyOf(clientExtras);
        return this;
    }

    /**
     * Latency, faults and baseline use {@code paymentsPerSec} as paypipe's sustained rate instead of searching for
     * it (a quick run of one of them; the report says so as {@code sustainedRateGiven}); 0 = search.
     */
    public Bench withSustainedRate(int paymentsPerSec) {
        this.givenSustainedRate = paymentsPerSec;
        return this;
    }

    /** Runs {@code chosen} (all when empty) in their fixed order; returns the whole report. */
    public ObjectNode run(List<Scenario> chosen) throws Exception {
        List<Scenario> run = chosen.isEmpty() ? List.of(Scenario.values())
                : Arrays.stream(Scenario.values()).filter(chosen::contains).toList();
        KafkaBroker kafka = TestInfra.kafka();
        PostgresServer postgres = TestInfra.postgres();
        out.printf("paypipe bench: %s on %s and %s%n",
                run.stream().map(Scenario::cliName).collect(Collectors.joining(", ")), kafka.describe(),
                postgres.describe());
        long started = System.nanoTime();
        try (BenchProgress progress = new BenchProgress(Duration.ofSeconds(planned(run)))) {
            for (Scenario s : run) {
                scenarios.set(s.key(), recorded(s, () -> scenario(s, progress)));
            }
            if (sustained50 != null && !scenarios.has(Scenario.THROUGHPUT.key())) {
                // searched for a scenario that needs paypipe's sustained rate: the figure its ratio stands on
                scenarios.set(Scenario.THROUGHPUT.key(), ThroughputScenarios.throughputNode(sustained50,
                        ThroughputScenarios.LATENCY_MS, scenarios.path("ceilings").path("combinedPaymentsPerSec")
                                .asDouble(0)));
            }
            if (!compareExtras.isEmpty()) {
                scenarios.set("compare", compare(progress));
            }
        }
        ObjectNode report = JsonNodeFactory.instance.objectNode();
        report.set("machine", machine(kafka, postgres));
        report.set("scenarios", scenarios);
        report.put("wallSeconds", Math.round((System.nanoTime() - started) / 1e9));
        if (givenSustainedRate > 0) {
            report.put("sustainedRateGiven", givenSustainedRate);
        }
        out.println();
        out.print(BenchTable.markdown(BenchTable.rows(scenarios)));
        out.printf("bench took %d s%n", report.get("wallSeconds").asLong());
        return report;
    }

    /** The report's figures against the goals as an HTML page. */
    public static String html(ObjectNode report) {
        return BenchTable.html(BenchTable.rows((ObjectNode) report.get("scenarios")), report.get("machine").toString());
    }

    private long planned(List<Scenario> run) {
        double scale = sizes.equals(BenchSizes.full()) ? 1 : 0.2;
        return Math.round(run.stream().mapToInt(s -> s.plannedSeconds).sum() * scale);
    }

    private ObjectNode scenario(Scenario s, BenchProgress progress) throws Exception {
        return switch (s) {
            case CEILINGS -> Ceilings.run(sizes, progress, ThroughputScenarios.LATENCY_MS);
            case THROUGHPUT -> ThroughputScenarios.throughputNode(sustained50(progress), ThroughputScenarios.LATENCY_MS,
                    scenarios.path("ceilings").path("combinedPaymentsPerSec").asDouble(0));
            case LATENCY_INSENSITIVITY -> {
                int fast = sustained50(progress).sustainedRate();
                SustainedRateSearch.Result slow = ThroughputScenarios.sustained(sizes, progress,
                        ThroughputScenarios.SLOW_LATENCY_MS, Math.max(sizes.startRate(), fast / 4),
                        "latency-insensitivity");
                yield ThroughputScenarios.insensitivityNode(slow, fast);
            }
            case LATENCY -> ThroughputScenarios.latency(sizes, progress, sustainedRate(progress));
            case OUTAGE -> FixedLoadScenarios.outage(sizes, progress);
            case FAULTS -> FixedLoadScenarios.faults(sizes, progress, sustainedRate(progress));
            case DB_WRITER -> dbWriter(progress);
            case BASELINE -> BaselineScenario.run(sizes, progress, sustainedRate(progress));
        };
    }

    private ObjectNode compare(BenchProgress progress) throws Exception {
        long latency = ThroughputScenarios.LATENCY_MS;
        SustainedRateSearch.Result before = ThroughputScenarios.sustained(sizes, progress, latency, sizes.startRate(),
                "compare: with " + compareExtras, compareExtras);
        SustainedRateSearch.Result after = ThroughputScenarios.sustained(sizes, progress, latency, sizes.startRate(),
                "compare: without", Map.of());
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("setting", compareExtras.toString());
        n.put("withSettingPaymentsPerSec", before.sustainedRate());
        n.put("withoutPaymentsPerSec", after.sustainedRate());
        n.put("ratio", ThroughputScenarios.round3((double) after.sustainedRate() / Math.max(1, before.sustainedRate())));
        n.set("withSetting", ThroughputScenarios.throughputNode(before, latency, 0));
        n.set("without", ThroughputScenarios.throughputNode(after, latency, 0));
        return n;
    }

    /**
     * paypipe's sustained 50 ms rate that latency, faults and baseline stand on: the one given by
     * {@link #withSustainedRate}, else the throughput search's (run once).
     */
    private int sustainedRate(BenchProgress progress) throws Exception {
        return givenSustainedRate > 0 ? givenSustainedRate : sustained50(progress).sustainedRate();
    }

    private SustainedRateSearch.Result sustained50(BenchProgress progress) throws Exception {
        if (sustained50 == null) {
            sustained50 = ThroughputScenarios.sustained(sizes, progress, ThroughputScenarios.LATENCY_MS,
                    sizes.startRate(), "throughput");
        }
        return sustained50;
    }

    private ObjectNode dbWriter(BenchProgress progress) throws IOException {
        progress.phase("db-writer: COPY and the db-writer, interleaved");
        PostgresDatabase db = TestInfra.postgres().freshDatabase();
        // the smoke size only checks the code path: one repetition is enough
        int repetitions = sizes.equals(BenchSizes.smoke()) ? 1 : DbWriterBenchmark.DEFAULT_REPETITIONS;
        DbWriterBenchmark.Report r = DbWriterBenchmark.run(TestInfra.kafka().bootstrapServers(), db.jdbcUrl(),
                db.user(), db.password(), sizes.dbConnections(), sizes.dbWriterRows(),
                DbWriterConfig.DEFAULT_UPSERT_METHOD, DbWriterConfig.DEFAULT_MAX_POLL_RECORDS, repetitions);
        return (ObjectNode) new ObjectMapper().readTree(r.toJson());
    }

    private interface ScenarioRun {
        ObjectNode run() throws Exception;
    }

    /** Runs one scenario inside a JFR recording ({@code profile} settings) when {@code --jfr} asked for one. */
    private ObjectNode recorded(Scenario s, ScenarioRun body) throws Exception {
        if (jfrDir == null) {
            return body.run();
        }
        Files.createDirectories(jfrDir);
        Configuration profile;
        try {
            profile = Configuration.getConfiguration("profile");
        } catch (ParseException e) {
            throw new IllegalStateException("the JDK's JFR 'profile' settings do not parse: " + e.getMessage(), e);
        }
        try (Recording recording = new Recording(profile)) {
            recording.setName("paypipe-bench-" + s.cliName());
            recording.setToDisk(true);
            recording.setDestination(jfrDir.resolve(s.cliName() + ".jfr"));
            recording.start();
            ObjectNode n = body.run();
            recording.stop();
            n.put("jfr", jfrDir.resolve(s.cliName() + ".jfr").toString());
            return n;
        }
    }

    private static ObjectNode machine(KafkaBroker kafka, PostgresServer postgres) {
        ObjectNode m = JsonNodeFactory.instance.objectNode();
        m.put("cores", Runtime.getRuntime().availableProcessors());
        m.put("cpu", procLine("/proc/cpuinfo", "model name"));
        m.put("memTotal", procLine("/proc/meminfo", "MemTotal"));
        m.put("maxHeapMb", Runtime.getRuntime().maxMemory() / (1024 * 1024));
        m.put("java", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"));
        m.put("jvmArgs", String.join(" ", ManagementFactory.getRuntimeMXBean().getInputArguments()));
        m.put("os", System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        m.put("kafka", kafka.describe());
        m.put("postgres", postgres.describe());
        return m;
    }

    private static String procLine(String file, String field) {
        try {
            return Files.readAllLines(Path.of(file)).stream().filter(l -> l.startsWith(field))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse("unknown");
        } catch (IOException e) {
            return "unknown";
        }
    }
}
