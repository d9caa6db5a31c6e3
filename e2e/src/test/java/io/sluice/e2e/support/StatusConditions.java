package io.sluice.e2e.support;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The {@code status.conditions} the operator wrote on an IngressRoute or Middleware, read from the generic
 * resource (the e2e module does not depend on the operator's CRD classes: it sees what a user sees).
 */
public record StatusConditions(long generation, List<Condition> conditions) {
    /** One condition; {@code observedGeneration} -1 when absent. */
    public record Condition(String type, String status, String reason, String message, long observedGeneration) {
    }

    public StatusConditions {
        conditions = List.copyOf(conditions);
    }

    public static StatusConditions of(GenericKubernetesResource resource) {
        if (resource == null) {
            return new StatusConditions(-1, List.of());
        }
        Long generation = resource.getMetadata().getGeneration();
        List<Condition> found = new ArrayList<>();
        Object status = resource.getAdditionalProperties().get("status");
        if (status instanceof Map<?, ?> && ((Map<?, ?>) status).get("conditions") instanceof List<?>) {
            for (Object item : (List<?>) ((Map<?, ?>) status).get("conditions")) {
                Map<?, ?> c = (Map<?, ?>) item;
                Object observed = c.get("observedGeneration");
                found.add(new Condition(string(c.get("type")), string(c.get("status")), string(c.get("reason")),
                        string(c.get("message")), observed instanceof Number ? ((Number) observed).longValue() : -1));
            }
        }
        return new StatusConditions(generation == null ? -1 : generation, found);
    }

    public Optional<Condition> get(String type) {
        return conditions.stream().filter(c -> type.equals(c.type())).findFirst();
    }

    /** {@code "True Programmed 2"}: status, reason and observed generation of {@code type}, or {@code "absent"}. */
    public String summary(String type) {
        return get(type).map(c -> c.status() + " " + c.reason() + " " + c.observedGeneration()).orElse("absent");
    }

    private static String string(Object o) {
        return o == null ? null : o.toString();
    }
}
