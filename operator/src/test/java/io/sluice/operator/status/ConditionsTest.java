package io.sluice.operator.status;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Condition;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConditionsTest {
    private static final Instant T0 = Instant.parse("2026-01-01T10:00:00.123Z");
    private static final Instant T1 = Instant.parse("2026-01-01T10:05:00Z");

    private static List<ConditionState> desired(String programmed, String reason, String message) {
        return List.of(ConditionState.isTrue(Conditions.ACCEPTED, "Accepted", "valid"),
                new ConditionState(Conditions.PROGRAMMED, programmed, reason, message));
    }

    @Test
    void firstWriteStampsEveryConditionWithNowAndTheGeneration() {
        List<Condition> c = Conditions.next(List.of(), desired("False", "Pending", "waiting"), 3, T0);
        assertThat(c).extracting(Condition::getType).containsExactly("Accepted", "Programmed");
        assertThat(c).allSatisfy(x -> {
            assertThat(x.getObservedGeneration()).isEqualTo(3L);
            assertThat(x.getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
        });
    }

    @Test
    void transitionTimeMovesOnlyWhenTheStatusChanges() {
        List<Condition> before = Conditions.next(List.of(), desired("False", "Pending", "waiting"), 3, T0);

        List<Condition> sameStatusNewMessage =
                Conditions.next(before, desired("False", "Pending", "2 of 3 proxies"), 4, T1);
        assertThat(Conditions.find(sameStatusNewMessage, "Programmed").getLastTransitionTime())
                .isEqualTo("2026-01-01T10:00:00Z");
        assertThat(Conditions.find(sameStatusNewMessage, "Programmed").getObservedGeneration()).isEqualTo(4L);

        List<Condition> flipped = Conditions.next(before, desired("True", "Programmed", "all proxies"), 3, T1);
        assertThat(Conditions.find(flipped, "Programmed").getLastTransitionTime()).isEqualTo("2026-01-01T10:05:00Z");
        assertThat(Conditions.find(flipped, "Accepted").getLastTransitionTime()).isEqualTo("2026-01-01T10:00:00Z");
    }

    @Test
    void anUnchangedStatusIsRecognisedSoTheWriteCanBeSkipped() {
        List<Condition> before = Conditions.next(List.of(), desired("True", "Programmed", "ok"), 3, T0);
        assertThat(Conditions.same(before, Conditions.next(before, desired("True", "Programmed", "ok"), 3, T1)))
                .isTrue();
        assertThat(Conditions.same(before, Conditions.next(before, desired("True", "Programmed", "ok"), 4, T1)))
                .isFalse();
        assertThat(Conditions.same(before, List.of())).isFalse();
    }
}
