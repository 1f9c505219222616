package dev.paypipe.cli.dev;

import dev.paypipe.cli.CliLogging;
import dev.paypipe.persistence.bench.DbWriterBenchmark;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import dev.paypipe.testkit.TestInfra;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code paypipe bench}: reports figures on embedded infrastructure; asserts nothing. */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Benchmarks on embedded infrastructure (in-process Kafka, embedded PostgreSQL). Reports figures.")
final class BenchCommand implements Callable<Integer> {
    /** The benchmark scenarios. */
    enum Scenario { DB_WRITER }

    @Option(names = "--scenario", required = true, converter = ScenarioConverter.class,
            description = "Scenario: db-writer (raw COPY vs the db-writer's end-to-end ingest from Kafka).")
    Scenario scenario;

    @Option(names = "--connections", defaultValue = "2", description = "C: database connections = db-writer consumers (default ${DEFAULT-VALUE}).")
    int connections;

    @Option(names = "--rows", defaultValue = "500000", description = "Results to write (default ${DEFAULT-VALUE}).")
    int rows;

    @Option(names = "--report-json", paramLabel = "FILE", description = "Write the report as JSON to FILE.")
    Path reportJson;

    @Override
    public Integer call() throws Exception {
        CliLogging.quiet();

        KafkaBroker kafka = TestInfra.kafka();
        PostgresServer postgres = TestInfra.postgres();
        PostgresDatabase db = postgres.freshDatabase();
        System.out.printf("bench db-writer: %d rows, C = %d, on %s and %s%n", rows, connections, kafka.describe(),
                postgres.describe());
        DbWriterBenchmark.Report report = DbWriterBenchmark.run(kafka.bootstrapServers(), db.jdbcUrl(), db.user(),
                db.password(), connections, rows);
        System.out.printf(Locale.ROOT, "  raw COPY      %,10.0f rows/s%n  db-writer     %,10.0f rows/s (%s)%n"
                + "  ratioToCopy   %10.2f%n", report.copyRowsPerSec(), report.writerRowsPerSec(), report.upsertMethod(),
                report.ratioToCopy());
        if (reportJson != null) {
            Path parent = reportJson.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            Files.writeString(reportJson, report.toReportJson() + System.lineSeparator());
            System.out.println("  report written to " + reportJson);
        }
        return 0;
    }

    /** Accepts the scenario names as written on the command line: {@code db-writer}. */
    static final class ScenarioConverter implements picocli.CommandLine.ITypeConverter<Scenario> {
        @Override
        public Scenario convert(String value) {
            return Scenario.valueOf(value.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        }
    }
}
