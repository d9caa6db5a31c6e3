package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One route: a Traefik v3 rule, its middlewares in order, and its services.
 *
 * @param priority 0 or absent uses the rule's length (Traefik); higher wins
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Route(
        @Required @Size(min = 1, max = 4096) String match,
        @Required Kind kind,
        @Min(0) @Max(Integer.MAX_VALUE) Integer priority,
        List<MiddlewareRef> middlewares,
        @Required @Size(min = 1) List<ServiceRef> services) {

    /** Traefik's route kind; only {@code Rule} exists. */
    public enum Kind {
        @JsonProperty("Rule") RULE
    }
}
