package io.sluice.operator.translate;

import java.util.Comparator;
import java.util.Objects;

/**
 * Something wrong with one object, for its status and the operator's log. Never carries Secret contents.
 *
 * @param field where in the object, for example {@code spec.routes[1].middlewares[0]} or an annotation name
 */
public record Problem(ObjectRef ref, String field, String message) implements Comparable<Problem> {
    private static final Comparator<Problem> ORDER = Comparator.comparing(Problem::ref)
            .thenComparing(Problem::field).thenComparing(Problem::message);

    public Problem {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(Problem o) {
        return ORDER.compare(this, o);
    }
}
