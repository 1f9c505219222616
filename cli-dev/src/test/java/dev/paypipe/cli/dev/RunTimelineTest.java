package dev.paypipe.cli.dev;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunTimelineTest {

    @Test
    void aConditionRunsFromTheFirstSampleThatMeetsItToTheFirstThatDoesNot() {
        RunTimeline timeline = new RunTimeline(100, 2);
        boolean[] open = {false, true, true, false, false, true};
        for (int i = 0; i < open.length; i++) {
            timeline.add(sample(i, open[i] ? "OPEN" : "CLOSED"));
        }

        assertThat(timeline.periods(RunTimeline.Sample::breakerOpen)).containsExactly(new RunTimeline.Period(1, 3),
                new RunTimeline.Period(5, 5));
        assertThat(timeline.periods(RunTimeline.Sample::breakerHalfOpen)).isEmpty();
        assertThat(timeline.retryTiers()).containsExactly("250ms", "1s");
    }

    @Test
    void refusesSamplesOutOfTimeOrder() {
        RunTimeline timeline = new RunTimeline(100, 2);
        timeline.add(sample(2, "CLOSED"));

        assertThatThrownBy(() -> timeline.add(sample(1, "CLOSED"))).hasMessageContaining("time order");
    }

    @Test
    void anUnknownTierBacklogDoesNotCountInTheTotal() {
        assertThat(sample(0, "CLOSED").retryBacklogTotal()).isEqualTo(3);
    }

    static RunTimeline.Sample sample(double seconds, String breaker) {
        Map<String, Long> backlog = new LinkedHashMap<>();
        backlog.put("250ms", 3L);
        backlog.put("1s", -1L);
        return new RunTimeline.Sample(seconds, 10, 5, Map.of(), 5, 80, 200, 3, breaker, "OPEN".equals(breaker),
                false, backlog, 2, 5);
    }
}
