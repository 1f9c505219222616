package dev.paypipe.persistence;

import dev.paypipe.persistence.bench.DbWriterBenchmark;
import dev.paypipe.persistence.bench.DbWriterBenchmark.Report;
import dev.paypipe.testkit.KafkaBroker;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the db-writer bench on the test infrastructure and writes {@code target/bench-db-writer.json}.
 * Not part of verify (tag {@code bench}); a benchmark reports, it does not assert:
 * {@code mvn -B -o -pl db-writer verify -Dbench.excluded=none -Dit.test=DbWriterBenchIT
 * [-Dbench.rows=300000] [-Dbench.methods=COPY_OPTIMISTIC,COPY_MERGE,UNNEST,BATCHED_INSERT]
 * [-Dbench.maxPollRecords=2000]}
 */
@Tag("bench")
@ExtendWith(PaypipeInfraExtension.class)
class DbWriterBenchIT {
    private static final Logger log = LoggerFactory.getLogger(DbWriterBenchIT.class);

    @Test
    void reportsCopyCeilingAndWriterIngest(KafkaBroker kafka, PostgresServer postgres) throws Exception {
        int rows = Integer.getInteger("bench.rows", 300_000);
        int connections = Integer.getInteger("bench.connections", 2);
        String methods = System.getProperty("bench.methods", DbWriterConfig.DEFAULT_UPSERT_METHOD.name());
        PostgresDatabase db = postgres.freshDatabase();
        List<String> lines = new ArrayList<>();
        for (String method : methods.split(",")) {
            Report report = DbWriterBenchmark.run(kafka.bootstrapServers(), db.jdbcUrl(), db.user(), db.password(),
                    connections, rows, UpsertMethod.valueOf(method.trim()),
                    Integer.getInteger("bench.maxPollRecords", DbWriterConfig.DEFAULT_MAX_POLL_RECORDS));
            log.info("bench_report {}", report.toJson());
            lines.add(report.toReportJson());
        }
        Files.write(Path.of("target", "bench-db-writer.json"), lines);
    }
}
