package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator made of a TraefikService: conditions {@code Accepted} (false when the spec is unusable or the
 * service is part of a reference cycle), {@code ResolvedRefs} and {@code Programmed}.
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record TraefikServiceStatus(List<Condition> conditions) {
    public TraefikServiceStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
    }
}
