package dev.paypipe.persistence;

import static dev.paypipe.model.PaymentStatus.APPROVED;
import static dev.paypipe.model.PaymentStatus.DECLINED;
import static dev.paypipe.model.PaymentStatus.FAILED;
import static dev.paypipe.model.PaymentStatus.UNKNOWN;
import static dev.paypipe.persistence.Results.T0;
import static dev.paypipe.persistence.Results.result;
import static org.assertj.core.api.Assertions.assertThat;

import com.zaxxer.hikari.HikariDataSource;
import dev.paypipe.config.KafkaSettings;
import dev.paypipe.kafka.TopicLayout;
import dev.paypipe.model.PaymentResult;
import dev.paypipe.model.PaymentStatus;
import dev.paypipe.testkit.PaypipeInfraExtension;
import dev.paypipe.testkit.PostgresDatabase;
import dev.paypipe.testkit.PostgresServer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.math.BigDecimal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The upsert rule and the isolation of refused rows, for every upsert method, against real PostgreSQL. */
@ExtendWith(PaypipeInfraExtension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ResultRepositoryIT {
    private PostgresDatabase db;
    private final List<HikariDataSource> pools = new ArrayList<>();

    @BeforeAll
    void migrate(PostgresServer postgres) {
        db = postgres.freshDatabase();
        SchemaMigrations.migrate(config(UpsertMethod.COPY_MERGE));
    }

    @AfterAll
    void closePools() {
        pools.forEach(HikariDataSource::close);
    }

    private DbWriterConfig config(UpsertMethod method) {
        return DbWriterConfig.of(KafkaSettings.of("unused:9092", TopicLayout.defaults()), db.jdbcUrl(), db.user(),
                db.password(), 1).withUpsertMethod(method);
    }

    private ResultRepository repository(UpsertMethod method) {
        HikariDataSource pool = DbWriter.openPool(config(method), new SimpleMeterRegistry());
        pools.add(pool);
        return new ResultRepository(pool, method);
    }

    private static String id(String name) {
        return name + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static List<ResultRow> rows(PaymentResult... results) {
        List<ResultRow> rows = new ArrayList<>();
        for (int i = 0; i < results.length; i++) {
            rows.add(new ResultRow(results[i], 3, 100 + i));
        }
        return ResultPrecedence.collapse(rows);
    }

    private String stored(String paymentId, String column) throws SQLException {
        try (Connection c = db.connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT " + column + " FROM payment_results WHERE payment_id = '"
                        + paymentId + "'")) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    @ParameterizedTest
    @EnumSource(UpsertMethod.class)
    void insertsNewPaymentsWithEveryColumn(UpsertMethod method) throws Exception {
        String p1 = id("new");
        PaymentResult declined = result(p1, DECLINED, T0);

        WriteOutcome outcome = repository(method).write(rows(declined, result(id("other"), APPROVED, T0)));

        assertThat(outcome.rowsChanged()).isEqualTo(2);
        assertThat(outcome.rejected()).isEmpty();
        assertThat(stored(p1, "status")).isEqualTo("DECLINED");
        assertThat(stored(p1, "order_id")).isEqualTo("order-" + p1);
        assertThat(new BigDecimal(stored(p1, "amount"))).isEqualByComparingTo("12.50");
        assertThat(stored(p1, "currency")).isEqualTo("EUR");
        assertThat(stored(p1, "decline_code")).isEqualTo("insufficient_funds");
        assertThat(stored(p1, "gateway_reference")).isEqualTo(declined.gatewayReference());
        assertThat(stored(p1, "attempts")).isEqualTo("1");
        assertThat(stored(p1, "extract(epoch from completed_at)::bigint")).isEqualTo(
                Long.toString(T0.getEpochSecond()));
        assertThat(stored(p1, "source_partition || '@' || source_offset")).isEqualTo("3@100");
        assertThat(stored(p1, "updated_at IS NOT NULL")).isEqualTo("t");
    }

    @ParameterizedTest
    @EnumSource(UpsertMethod.class)
    void settledStatusReplacesUnknownButNothingReplacesItWithAnOlderOrWeakerResult(UpsertMethod method)
            throws Exception {
        ResultRepository repository = repository(method);
        String p = id("reconciled");

        repository.write(rows(result(p, UNKNOWN, T0)));
        assertThat(stored(p, "status")).isEqualTo("UNKNOWN");

        assertThat(repository.write(rows(result(p, APPROVED, T0.plusSeconds(60)))).rowsChanged()).isEqualTo(1);
        assertThat(stored(p, "status")).isEqualTo("APPROVED");

        assertThat(repository.write(rows(result(p, UNKNOWN, T0.plusSeconds(120)))).rowsChanged()).isZero();
        assertThat(repository.write(rows(result(p, DECLINED, T0.plusSeconds(30)))).rowsChanged()).isZero();
        assertThat(repository.write(rows(result(p, FAILED, T0.plusSeconds(300)))).rowsChanged()).isZero();
        assertThat(stored(p, "status")).isEqualTo("APPROVED");

        assertThat(repository.write(rows(result(p, DECLINED, T0.plusSeconds(90)))).rowsChanged()).isEqualTo(1);
        assertThat(stored(p, "status")).isEqualTo("DECLINED");
    }

    @ParameterizedTest
    @EnumSource(UpsertMethod.class)
    void identicalRedeliveryChangesNothing(UpsertMethod method) throws Exception {
        ResultRepository repository = repository(method);
        String p = id("redelivered");
        PaymentResult approved = result(p, APPROVED, T0);
        repository.write(rows(approved));
        String updatedAt = stored(p, "updated_at");

        WriteOutcome again = repository.write(rows(approved));

        assertThat(again.rowsChanged()).isZero();
        assertThat(stored(p, "updated_at")).isEqualTo(updatedAt);
    }

    @ParameterizedTest
    @EnumSource(UpsertMethod.class)
    void isolatesRowsTheDatabaseRefusesAndWritesTheRest(UpsertMethod method) throws Exception {
        List<PaymentResult> batch = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            batch.add(result(id("ok" + i), APPROVED, T0));
        }
        String negative = id("negative");
        batch.add(Results.withAmount(result(negative, APPROVED, T0), new BigDecimal("-1.00")));
        String tooLong = "x".repeat(70);
        batch.add(result(tooLong, DECLINED, T0));

        WriteOutcome outcome = repository(method).write(rows(batch.toArray(PaymentResult[]::new)));

        assertThat(outcome.rowsChanged()).isEqualTo(20);
        assertThat(outcome.rejected()).extracting(r -> r.row().paymentId())
                .containsExactlyInAnyOrder(negative, tooLong);
        assertThat(outcome.rejected()).allSatisfy(r -> assertThat(r.reason()).startsWith("SQLState 2"));
        assertThat(outcome.rejected()).anySatisfy(r -> assertThat(r.reason()).contains("amount"));
        for (int i = 0; i < 20; i++) {
            assertThat(stored(batch.get(i).paymentId(), "status")).isEqualTo(PaymentStatus.APPROVED.name());
        }
        assertThat(stored(negative, "status")).isNull();
    }
}
