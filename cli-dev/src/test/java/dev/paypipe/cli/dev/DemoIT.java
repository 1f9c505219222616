package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole pipeline end to end: broker, gateway over HTTP, worker, db-writer, PostgreSQL rows. */
class DemoIT {

    @Test
    void everyPaymentEndsWithExactlyOneFinalRowAndOneResultDespiteCopiesAndTheDatabaseCapHolds(@TempDir Path dir)
            throws Exception {
        Path report = dir.resolve("r.json");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Demo.Options options = new Demo.Options(600, 0, 10, dev.paypipe.sim.FaultMix.NONE, -1, 0.1, 0,
                dev.paypipe.sim.OutageMode.UNAVAILABLE, 2, 4, 256, 120, report, 0.2, 0.05, true, "burst", 0, 0, null);

        int exit = new Demo(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        JsonNode r = new ObjectMapper().readTree(Files.readString(report));
        assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(r.get("dbRows").asLong()).isEqualTo(600);
        assertThat(r.get("lost").asLong()).isZero();
        assertThat(r.get("chargedTwice").asLong()).isZero();
        assertThat(r.get("nonFinal").asLong()).isZero();
        assertThat(r.get("statuses").get("APPROVED").asLong() + r.get("statuses").get("DECLINED").asLong())
                .isEqualTo(600);
        assertThat(r.get("maxDbConnectionsSeen").asLong()).isBetween(1L, r.get("dbPoolCap").asLong());
        assertThat(r.get("gatewayCallsPerPayment").asDouble()).as("copies never reach the gateway").isEqualTo(1.0);
        assertThat(r.get("duplicateResults").asLong()).isZero();
        assertThat(r.get("chargedWrongAmount").asLong()).isZero();
        assertThat(r.get("duplicateCopiesPublished").asLong()).isPositive();
        assertThat(r.get("conflictingCopiesPublished").asLong()).isPositive();
        assertThat(r.get("duplicatesDropped").asLong()).isEqualTo(r.get("duplicateCopiesPublished").asLong());
        assertThat(r.get("conflictsRefused").asLong()).isEqualTo(r.get("conflictingCopiesPublished").asLong());
        assertThat(r.get("latencyMs").get("p99").asLong()).isPositive();
        assertThat(console.toString(StandardCharsets.UTF_8)).contains("VERDICT: OK");
    }
}
