package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class SvgChartTest {

    @Test
    void aSeriesIsOnePathNamedByItsIdAndAnUnknownValueBreaksTheLine() {
        String svg = new SvgChart("c", 3, false, 200)
                .series("p99", "p99", "#dc2626", new double[] {0, 1, 2, 3}, new double[] {5, -1, 7, 8}, false)
                .render();

        assertThat(svg).containsPattern("<path id=\"series-p99\" d=\"M[0-9.]+ [0-9.]+ M[0-9.]+ [0-9.]+ L[0-9.]+ [0-9.]+\"");
    }

    @Test
    void aCapLineIsDrawnOverTheSeriesAndTheAxisReachesIt() {
        String svg = new SvgChart("c", 2, false, 200)
                .series("db", "connections", "#2563eb", new double[] {0, 2}, new double[] {1, 1}, false)
                .rule("db-cap", "cap 4", "#dc2626", 4).render();

        assertThat(svg.indexOf("id=\"db-cap\"")).isGreaterThan(svg.indexOf("id=\"series-db\""));
        assertThat(svg).contains(">4</text>");
    }

    @Test
    void lanesAndBandsAreRectanglesOverTheirPeriods() {
        List<RunTimeline.Period> outage = List.of(new RunTimeline.Period(10, 25));
        String svg = new SvgChart("c", 100, false, 0).band("band-outage", "red", outage)
                .lane("outage", "gateway outage", "#dc2626", outage).render();

        assertThat(svg).contains("class=\"band band-outage\"").contains("class=\"lane-outage\"")
                .contains("gateway outage: 10 s to 25 s");
    }

    @Test
    void aLogAxisSpansWholeDecades() {
        String svg = new SvgChart("c", 1, true, 200)
                .series("l", "p50", "#000", new double[] {0, 1}, new double[] {80, 15_000}, false).render();

        assertThat(svg).contains(">10</text>").contains(">100</text>").contains(">100k</text>");
    }

    @Test
    void stepsAreOneTwoOrFiveTimesAPowerOfTen() {
        assertThat(SvgChart.niceStep(7)).isEqualTo(10);
        assertThat(SvgChart.niceStep(0.3)).isEqualTo(0.5);
        assertThat(SvgChart.niceStep(140)).isEqualTo(200);
    }
}
