package io.sluice.operator.status;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.ConditionBuilder;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Builds the {@code status.conditions} list the Kubernetes way: one entry per type, {@code observedGeneration}
 * always set, and {@code lastTransitionTime} changed only when the condition's status changes (a new reason or
 * message alone keeps the old time). {@link #same} tells the status writer when a write would change
 * nothing, so it can skip it.
 */
public final class Conditions {
    public static final String ACCEPTED = "Accepted";
    public static final String RESOLVED_REFS = "ResolvedRefs";
    public static final String PROGRAMMED = "Programmed";

    private Conditions() {
    }

    /**
     * The conditions to write: {@code desired} in order, each keeping its previous {@code lastTransitionTime} when
     * its status did not change. Conditions of other types in {@code previous} are dropped.
     */
    public static List<Condition> next(List<Condition> previous, List<ConditionState> desired, long generation,
            Instant now) {
        String nowText = now.truncatedTo(ChronoUnit.SECONDS).toString();
        List<Condition> result = new ArrayList<>(desired.size());
        for (ConditionState state : desired) {
            Condition before = find(previous, state.type());
            String transition = before != null && state.status().equals(before.getStatus())
                    && before.getLastTransitionTime() != null ? before.getLastTransitionTime() : nowText;
            result.add(new ConditionBuilder()
                    .withType(state.type())
                    .withStatus(state.status())
                    .withReason(state.reason())
                    .withMessage(state.message())
                    .withObservedGeneration(generation)
                    .withLastTransitionTime(transition)
                    .build());
        }
        return result;
    }

    /** True when both lists say exactly the same thing, so writing {@code b} over {@code a} would change nothing. */
    public static boolean same(List<Condition> a, List<Condition> b) {
        List<Condition> left = a == null ? List.of() : a;
        List<Condition> right = b == null ? List.of() : b;
        if (left.size() != right.size()) {
            return false;
        }
        for (int i = 0; i < left.size(); i++) {
            Condition x = left.get(i);
            Condition y = right.get(i);
            if (!Objects.equals(x.getType(), y.getType()) || !Objects.equals(x.getStatus(), y.getStatus())
                    || !Objects.equals(x.getReason(), y.getReason())
                    || !Objects.equals(x.getMessage(), y.getMessage())
                    || !Objects.equals(x.getObservedGeneration(), y.getObservedGeneration())
                    || !Objects.equals(x.getLastTransitionTime(), y.getLastTransitionTime())) {
                return false;
            }
        }
        return true;
    }

    public static Condition find(List<Condition> conditions, String type) {
        if (conditions == null) {
            return null;
        }
        for (Condition c : conditions) {
            if (type.equals(c.getType())) {
                return c;
            }
        }
        return null;
    }
}
