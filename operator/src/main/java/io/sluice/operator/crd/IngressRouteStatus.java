package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.kubernetes.api.model.Condition;
import java.util.List;

/**
 * What the operator made of an IngressRoute: conditions {@code Accepted}, {@code ResolvedRefs} and
 * {@code Programmed}, and the host names its rules name (for {@code kubectl get ir}).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record IngressRouteStatus(List<Condition> conditions, List<String> hosts) {
    public IngressRouteStatus {
        conditions = conditions == null ? List.of() : List.copyOf(conditions);
        hosts = hosts == null ? List.of() : List.copyOf(hosts);
    }
}
