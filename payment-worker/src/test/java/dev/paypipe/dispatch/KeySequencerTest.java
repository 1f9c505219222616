package dev.paypipe.dispatch;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KeySequencerTest {
    private final KeySequencer<String> sequencer = new KeySequencer<>();

    @Test
    void firstItemForAKeyStartsAtOnce() {
        assertThat(sequencer.tryStart("a", "a1")).isTrue();
        assertThat(sequencer.tryStart("b", "b1")).isTrue();
        assertThat(sequencer.busyKeys()).isEqualTo(2);
        assertThat(sequencer.waiting()).isZero();
    }

    @Test
    void laterItemsForABusyKeyWaitAndAreReleasedInOrder() {
        sequencer.tryStart("a", "a1");
        assertThat(sequencer.tryStart("a", "a2")).isFalse();
        assertThat(sequencer.tryStart("a", "a3")).isFalse();
        assertThat(sequencer.tryStart("b", "b1")).isTrue();
        assertThat(sequencer.waiting()).isEqualTo(2);

        assertThat(sequencer.release("a")).isEqualTo("a2");
        assertThat(sequencer.waiting()).isEqualTo(1);
        // a2 now holds the key: a newcomer still waits behind a3.
        assertThat(sequencer.tryStart("a", "a4")).isFalse();
        assertThat(sequencer.release("a")).isEqualTo("a3");
        assertThat(sequencer.release("a")).isEqualTo("a4");
        assertThat(sequencer.release("a")).isNull();
        assertThat(sequencer.waiting()).isZero();
        assertThat(sequencer.busyKeys()).isEqualTo(1);
    }

    @Test
    void aReleasedKeyIsFreeAgain() {
        sequencer.tryStart("a", "a1");
        assertThat(sequencer.release("a")).isNull();

        assertThat(sequencer.busyKeys()).isZero();
        assertThat(sequencer.tryStart("a", "a2")).isTrue();
    }

    @Test
    void releasingAnUnknownKeyDoesNothing() {
        assertThat(sequencer.release("nope")).isNull();
        assertThat(sequencer.busyKeys()).isZero();
        assertThat(sequencer.waiting()).isZero();
    }

    @Test
    void keysDoNotBlockEachOther() {
        sequencer.tryStart("a", "a1");
        sequencer.tryStart("a", "a2");

        assertThat(sequencer.tryStart("b", "b1")).isTrue();
        assertThat(sequencer.release("b")).isNull();
        assertThat(sequencer.waiting()).isEqualTo(1);
    }
}
