package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/** What the operator made of a Middleware: conditions {@code Accepted} and {@code ResolvedRefs}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record MiddlewareStatus(List<Condition> conditions) {
    public MiddlewareStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
