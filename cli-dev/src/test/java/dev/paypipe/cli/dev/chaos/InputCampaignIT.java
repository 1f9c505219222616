package dev.paypipe.cli.dev.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * The {@code input} campaign once through the corpus against the real in-process pipeline (broker, ledger, worker,
 * gateway simulator over HTTP, db-writer, PostgreSQL): the verdict comes from the simulator's ledger, the rows and the
 * results topic read read_committed.
 */
class InputCampaignIT {
    @Test
    void everyBadRecordIsRejectedAndDeadLetteredNoneReachesTheGatewayValidPaymentsCompleteAndNoSecretIsLogged()
            throws Exception {
        CampaignReport report = new InputCampaign(1, Duration.ofSeconds(90), System.out).run();

        assertThat(report.ok()).as(report.toString()).isTrue();
        assertThat((Integer) report.toMap().get("kinds")).isGreaterThanOrEqualTo(60);
        assertThat(report.payments()).as("bad records and valid payments").isGreaterThanOrEqualTo(2 * 60);
        assertThat((Long) report.toMap().get("logLinesScanned")).as("the ledger logs every rejection").isPositive();
        assertThat((Long) report.toMap().get("deadLetterHeadersScanned")).isPositive();
        assertThat((Long) report.toMap().get("gatewayChargeCalls")).as("only the valid payments reach the gateway")
                .isEqualTo(((Integer) report.toMap().get("validPayments")).longValue());
    }
}
