package dev.paypipe.model;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.util.List;
import org.junit.jupiter.api.Test;

class RequestCheckTest {
    @Test
    void isEitherAValidRequestOrProblemsNeverBoth() {
        assertThatIllegalArgumentException().isThrownBy(() -> new RequestCheck(null, "p", "o", List.of()));
    }

    @Test
    void joinsProblemsOnOneLine() {
        RequestCheck check = RequestCheck.invalid("p", null, List.of("amount: required", "currency: required"));

        assertThat(check.isValid()).isFalse();
        assertThat(check.describeProblems()).isEqualTo("amount: required; currency: required");
    }
}
