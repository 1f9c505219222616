package dev.paypipe.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
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
    void textIsEscapedAndUtf8Encoded() {
        String value = "a\\b\tc\nd\re é € 😀";
        assertThat(render(new CopyText(4).text(value).tab().text(null).endRow()))
                .isEqualTo("a\\\\b\\tc\\nd\\re é € 😀\t\\N\n");
    }

    @Test
    void numbersIncludingNegativesAndExtremes() {
        assertThat(render(new CopyText(4).number(0).tab().number(-42).tab().number(Long.MAX_VALUE).tab()
                .number(Long.MIN_VALUE))).isEqualTo("0\t-42\t" + Long.MAX_VALUE + "\t" + Long.MIN_VALUE);
    }
}
