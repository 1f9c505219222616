package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.paypipe.sim.FaultMix;
import dev.paypipe.sim.OutageMode;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.nodes.Element;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The demo's picture, checked where people look at it: a short steady run with an outage writes its HTML report, and
 * a real headless Chromium renders it. After rendering the charts' series, bands and lanes are in the DOM, the verdict
 * table carries the JSON report's values, and the screenshot shows the charts' colours.
 */
class DemoHtmlReportIT {

    @Test
    void aShortRunThroughAnOutageRendersItsChartsAndTheVerdictOfTheJsonReportInHeadlessChromium(@TempDir Path dir)
            throws Exception {
        Path json = dir.resolve("r.json");
        Path html = dir.resolve("r.html");
        ByteArrayOutputStream console = new ByteArrayOutputStream();
        Demo.Options options = new Demo.Options(500, 100, 80, FaultMix.TRANSIENT, -1, 0.1, 4, OutageMode.UNAVAILABLE,
                2, 4, 256, 120, json, 0.05, 0, true, "steady", 250, 0.01, html);

        int exit = new Demo(options, new PrintStream(console, true, StandardCharsets.UTF_8)).run();

        JsonNode r = new ObjectMapper().readTree(Files.readString(json));
        assertThat(exit).as(console.toString(StandardCharsets.UTF_8)).isZero();
        assertThat(r.get("breakerOpenMs").asLong()).as("the outage opened the breaker").isPositive();

        HeadlessChromium chromium = HeadlessChromium.find(dir);
        Document dom = Jsoup.parse(chromium.dumpDom(html));
        for (String series : List.of("throughput", "published", "latency-p50", "latency-p99", "in-flight",
                "retry-backlog-250ms", "retry-backlog-1s", "retry-backlog-5s", "db-connections")) {
            Element path = dom.getElementById("series-" + series);
            assertThat(path).as("series " + series).isNotNull();
            assertThat(path.attr("d")).as("series " + series).matches("M[0-9. ]+ L.*");
        }
        assertThat(dom.getElementById("db-cap")).as("the database cap line").isNotNull();
        assertThat(dom.select("#chart-states rect.lane-outage")).as("the outage lane").isNotEmpty();
        assertThat(dom.select("#chart-states rect.lane-breaker-open")).as("the breaker-open lane").isNotEmpty();
        assertThat(dom.select("#chart-throughput rect.band-paused")).as("the pause shaded").isNotEmpty();

        List<Element> checks = dom.select("#verdict tr[data-check]");
        assertThat(checks).extracting(e -> e.attr("data-check")).containsExactly("lost", "chargedTwice", "nonFinal",
                "duplicateResults", "chargedWrongAmount", "maxDbConnectionsSeen");
        for (Element check : checks) {
            assertThat(check.selectFirst("td.value").text()).as(check.attr("data-check"))
                    .isEqualTo(r.get(check.attr("data-check")).asText());
        }
        assertThat(dom.getElementById("verdict-line").text()).isEqualTo("VERDICT: OK");
        assertThat(dom.selectFirst("#figures tr[data-key=breakerOpenMs] td").text())
                .isEqualTo(r.get("breakerOpenMs").asText());

        BufferedImage shot = ImageIO.read(chromium.screenshot(html, dir.resolve("r.png"), 1400, 2000).toFile());
        assertThat(pixelsNear(shot, 0x2563eb)).as("throughput and connection lines drawn").isGreaterThan(200);
        assertThat(pixelsNear(shot, 0xdc2626)).as("p99 line, cap line and outage lane drawn").isGreaterThan(200);
    }

    private static int pixelsNear(BufferedImage image, int rgb) {
        int n = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int p = image.getRGB(x, y);
                if (Math.abs(((p >> 16) & 0xff) - ((rgb >> 16) & 0xff)) < 24
                        && Math.abs(((p >> 8) & 0xff) - ((rgb >> 8) & 0xff)) < 24
                        && Math.abs((p & 0xff) - (rgb & 0xff)) < 24) {
                    n++;
                }
            }
        }
        return n;
    }
}
