package dev.paypipe.cli.dev;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.paypipe.cli.CliLogging;
import dev.paypipe.cli.dev.bench.Bench;
import dev.paypipe.cli.dev.bench.BenchSizes;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paypipe bench}: reports figures on embedded infrastructure; asserts nothing. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on embedded infrastructure (in-process Kafka, embedded PostgreSQL, the gateway "
                + "simulator), every scenario on fresh topics and a fresh database. Reports figures against the goals "
                + "of docs/benchmarks.md.")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--scenario", paramLabel = "NAME", converter = ScenarioConverter.class,
            description = "Scenario to run, repeatable: ceilings, throughput, latency-insensitivity, latency, outage, "
                    + "faults, db-writer, baseline. Default: all of them.")
    List<Bench.Scenario> scenarios = new ArrayList<>();

    @Option(names = "--connections", defaultValue = "2",
            description = "C: database connections = db-writer consumers, and the COPY ceiling's (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rows", defaultValue = "200000", description = "Results of the db-writer scenario (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path reportJson;

    @Option(names = "--report-html", paramLabel = "FILE", description = "Write the figures against the goals as HTML to FILE.")
    Path reportHtml;

    @Option(names = "--jfr", paramLabel = "DIR", description = "Keep a JFR recording of each scenario in DIR (<scenario>.jfr).")
    Path jfrDir;

    @Option(names = "--compare-client", paramLabel = "KEY=VALUE",
            description = "After the scenarios, run the throughput search twice: with this Kafka client setting on "
                    + "every client of the pipeline, then without (the before and after of a change, in one run).")
    Map<String, String> compareClient = new LinkedHashMap<>();

    @Option(names = "--sustained-rate", paramLabel = "N", defaultValue = "0",
            description = "Use N payments/s as paypipe's sustained 50 ms rate for latency, faults and baseline instead "
                    + "of running the throughput search first (a quick run of one of them). Default: search.")
    int sustainedRate;

    @Option(names = "--verbose", description = "Show the components' logs (breaker changes, rebalances, ...).")
    boolean verbose;

    @Option(names = "--smoke", hidden = true, description = "Tiny sizes: checks every scenario runs; figures mean nothing.")
    boolean smoke;

    @Override
    public Integer call() throws Exception {
        if (connections < 1 || rows < 1) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--connections and --rows must be >= 1, were " + connections + " and " + rows);
        }
        if (sustainedRate < 0) {
            throw new picocli.CommandLine.ParameterException(new picocli.CommandLine(this),
                    "--sustained-rate must be >= 1 (or absent: search), was " + sustainedRate);
        }
        if (!verbose) {
            CliLogging.quiet();
        }
        // The embedded broker logs as ERROR each OutOfOrderSequenceException it answers to a transactional producer
        // in the first moments of a fresh topic; the producer retries and the bench's figures count what arrives.
        ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger("kafka.server.ReplicaManager"))
                .setLevel(ch.qos.logback.classic.Level.OFF);
        BenchSizes sizes = (smoke ? BenchSizes.smoke() : BenchSizes.full().withDbWriter(connections, rows));
        ObjectNode report = new Bench(sizes, jfrDir, System.out).compareWith(compareClient)
                .withSustainedRate(sustainedRate).run(scenarios);
        if (reportJson != null) {
            createParent(reportJson);
            new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(reportJson.toFile(), report);
            System.out.println("report written to " + reportJson);
        }
        if (reportHtml != null) {
            createParent(reportHtml);
            Files.writeString(reportHtml, Bench.html(report));
            System.out.println("HTML report written to " + reportHtml);
        }
        return 0;
    }

    private static void createParent(Path file) throws java.io.IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
    }

    /** Accepts the scenario names as written on the command line, e.g. {@code db-writer}. */
    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Bench.Scenario> {
        @Override
        public Bench.Scenario convert(String value) {
            try {
                return Bench.Scenario.parse(value);
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(e.getMessage());
            }
        }
    }
}
