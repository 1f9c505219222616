package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DemoReportTest {

    @Test
    void aCleanRunPassesEveryCheck() {
        DemoReport report = report(2);

        assertThat(report.ok()).isTrue();
        assertThat(report.verdict()).extracting(DemoReport.Check::name).containsExactly("lost", "chargedTwice",
                "nonFinal", "duplicateResults", "chargedWrongAmount", "maxDbConnectionsSeen");
    }

    @Test
    void moreDatabaseConnectionsThanTheCapFailTheVerdict() {
        DemoReport report = report(3);

        assertThat(report.ok()).isFalse();
        assertThat(report.verdict()).filteredOn(c -> !c.ok()).extracting(DemoReport.Check::name)
                .containsExactly("maxDbConnectionsSeen");
    }

    @Test
    void oneLostPaymentFailsTheVerdictAndTheTableMarksIt() {
        DemoReport report = report(2);
        report.put("lost", 1L);
        ByteArrayOutputStream out = new ByteArrayOutputStream();

        report.printVerdictTable(new PrintStream(out, true, StandardCharsets.UTF_8));

        assertThat(report.ok()).isFalse();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("| check ").contains("|------")
                .containsPattern("\\| lost +\\| +1 \\| 0 +\\| FAIL +\\|");
    }

    private static DemoReport report(long maxConnections) {
        DemoReport report = new DemoReport(100, 2);
        for (String key : new String[] {"lost", "chargedTwice", "nonFinal", "duplicateResults", "chargedWrongAmount"}) {
            report.put(key, 0L);
        }
        report.put("maxDbConnectionsSeen", maxConnections);
        return report;
    }
}
