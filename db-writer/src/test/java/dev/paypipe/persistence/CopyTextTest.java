package dev.paypipe.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class CopyTextTest {
    private static final DateTimeFormatter PG = DateTimeFormatter.ofPattern("uuuu-MM-dd HH:mm:ss.SSSSSS'+00'")
            .withZone(ZoneOffset.UTC);

    private static String render(CopyText t) {
        return new String(t.toByteArray(), StandardCharsets.UTF_8);
    }

    @Test
    void timestampsMatchTheJdkFormatterTruncatedToMicros() {
        SplittableRandom random = new SplittableRandom(3);
        for (int i = 0; i < 50_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_135_596_800L, 253_402_300_799L),
                    random.nextInt(1_000_000_000));
            assertThat(render(new CopyText(16).timestamp(instant))).isEqualTo(PG.format(instant));
        }
    }

    @Test
    void timestampsOfOneDayAndAcrossMidnightReuseTheDateCorrectly() {
        CopyText t = new CopyText(16);
        Instant start = Instant.parse("2025-12-31T23:59:58.999999999Z");
        StringBuilder expected = new StringBuilder();
        for (int i = 0; i < 3_000; i++) {
            Instant instant = start.plusMillis(i * 7L);
            t.timestamp(instant).tab();
            expected.append(PG.format(instant)).append('\t');
        }
        t.timestamp(Instant.parse("1999-01-01T00:00:00Z"));
        expected.append("1999-01-01 00:00:00.000000+00");
        assertThat(render(t)).isEqualTo(expected.toString());
    }

    @Test
    void decimalsAreWrittenAsToPlainStringWritesThem() {
        SplittableRandom random = new SplittableRandom(5);
        List<BigDecimal> values = new ArrayList<>(List.of(BigDecimal.ZERO, new BigDecimal("0.00"),
                new BigDecimal("-0.5"), new BigDecimal("1E+3"), new BigDecimal("12.50"), new BigDecimal("0.000001"),
                new BigDecimal("999999999999999999"), new BigDecimal("-999999999999999999.99"),
                new BigDecimal(Long.MIN_VALUE), new BigDecimal("123456789012345678901234567890.1234")));
        for (int i = 0; i < 20_000; i++) {
            values.add(BigDecimal.valueOf(random.nextLong(), random.nextInt(-3, 22)));
            values.add(BigDecimal.valueOf(random.nextLong(-100_000, 100_000), random.nextInt(0, 4)));
        }
        for (BigDecimal value : values) {
            assertThat(render(new CopyText(4).decimal(value))).as(value.toString()).isEqualTo(value.toPlainString());
        }
        assertThat(render(new CopyText(4).decimal(null))).isEqualTo("\\N");
    }

    @Test
    void aThreadsBufferStartsEmptyForEachBatch() {
        CopyText first = CopyText.forThisThread().text("left over from the last batch");
        CopyText next = CopyText.forThisThread();

        assertThat(next).isSameAs(first);
        assertThat(next.length()).isZero();
        assertThat(render(next.text("p1").endRow())).isEqualTo("p1\n");
    }

    @Test
    void textIsEscapedAndUtf8Encoded() {
        String value = "a\\b\tc\nd\re é € 😀";
        assertThat(render(new CopyText(4).text(value).tab().text(null).endRow()))
                .isEqualTo("a\\\\b\\tc\\nd\\re é € 😀\t\\N\n");
        assertThat(render(new CopyText(4).text("plain-id_42").tab().text("ends with a tab\t")))
                .isEqualTo("plain-id_42\tends with a tab\\t");
        assertThat(render(new CopyText(4).text("del\u007f and nul\u0000")))
                .isEqualTo("del\u007f and nul\u0000");
    }

    @Test
    void numbersIncludingNegativesAndExtremes() {
        assertThat(render(new CopyText(4).number(0).tab().number(-42).tab().number(Long.MAX_VALUE).tab()
                .number(Long.MIN_VALUE))).isEqualTo("0\t-42\t" + Long.MAX_VALUE + "\t" + Long.MIN_VALUE);
    }
}
