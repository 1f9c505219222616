package dev.paypipe.cli.dev.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import org.junit.jupiter.api.Test;

class BenchTableTest {

    @Test
    void judgesEachFigureAgainstItsGoalIncludingGoalsThatNameAnotherFigure() {
        ObjectNode scenarios = JsonNodeFactory.instance.objectNode();
        scenarios.putObject("throughput").put("paymentsPerSec", 4999).put("ratioToCeiling", 0.61);
        scenarios.putObject("outage").put("maxDbConnections", 3).put("dbPoolCap", 2);
        scenarios.putObject("faults").put("stallSecondsMax", 3.9).put("responseTimeoutSeconds", 2.0);

        List<BenchTable.Row> rows = BenchTable.rows(scenarios);

        assertThat(rows).extracting(r -> r.scenario() + "." + r.figure() + "=" + r.verdict()).containsExactly(
                "throughput.paymentsPerSec=NOT MET", "throughput.ratioToCeiling=met",
                "outage.maxDbConnections=NOT MET", "outage.dbPoolCap=", "faults.stallSecondsMax=met");
        assertThat(BenchTable.markdown(rows)).contains("| throughput | paymentsPerSec | 4,999 | >= 5000 | NOT MET |");
        assertThat(BenchTable.html(rows, "<2 cores>")).contains("&lt;2 cores&gt;").contains("class=\"no\"");
    }

    @Test
    void aScenarioIsNamedAsOnTheCommandLineAndABadNameListsTheGoodOnes() {
        assertThat(Bench.Scenario.parse("latency-insensitivity")).isEqualTo(Bench.Scenario.LATENCY_INSENSITIVITY);
        assertThatThrownBy(() -> Bench.Scenario.parse("speed")).hasMessageContaining("unknown scenario 'speed'")
                .hasMessageContaining("ceilings, throughput, latency-insensitivity");
    }
}
