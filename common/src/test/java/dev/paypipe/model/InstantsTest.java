package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class InstantsTest {

    @Test
    void agreesWithInstantParseOnEveryFormInstantToStringWrites() {
        SplittableRandom random = new SplittableRandom(7);
        for (int i = 0; i < 100_000; i++) {
            long seconds = random.nextLong(-62_135_596_800L, 253_402_300_799L); // years 0001..9999
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1000;
                default -> random.nextInt(1_000_000_000);
            };
            Instant instant = Instant.ofEpochSecond(seconds, nanos);
            assertThat(Instants.parse(instant.toString())).isEqualTo(instant);
        }
    }

    @Test
    void leapDaysAndShortFractionsParseLikeTheJdk() {
        for (String text : new String[] {"2024-02-29T23:59:59Z", "2000-02-29T00:00:00.5Z", "1970-01-01T00:00:00Z",
                "1969-12-31T23:59:59.999999999Z", "2026-11-24T03:40:08.12Z"}) {
            assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void invalidTextIsRejectedLikeInstantParse() {
        for (String text : new String[] {"2023-02-29T00:00:00Z", "2026-13-01T00:00:00Z", "2026-01-01T24:00:01Z",
                "2026-01-01T00:00:00.1234567890Z", "yesterday", "2026-01-01 00:00:00Z",
                "2026-01-0aT00:00:00Z"}) {
            assertThatThrownBy(() -> Instants.parse(text)).as(text).isInstanceOf(DateTimeParseException.class);
        }
    }

    @Test
    void oddFormsTheJdkAcceptsAreAcceptedToo() {
        for (String text : new String[] {"2026-01-01T24:00:00Z", "2026-01-01T00:00:00.Z"}) {
            assertThat(Instants.parse(text)).isEqualTo(Instant.parse(text));
        }
    }

    @Test
    void offsetsFallBackToTheJdkParser() {
        assertThat(Instants.parse("2026-01-01T01:00:00+01:00")).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
    }
}
