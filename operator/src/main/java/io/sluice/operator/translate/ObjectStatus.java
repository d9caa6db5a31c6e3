package io.sluice.operator.translate;

import java.util.List;
import java.util.Objects;

/**
 * What translation made of one source object (an Ingress of ours, an IngressRoute or a Middleware), so the status
 * writer can build its conditions without re-deriving anything.
 *
 * @param generation   the {@code metadata.generation} translated (0 when absent), for {@code observedGeneration}
 * @param accepted     false when the object is left out of the snapshot entirely
 * @param resolvedRefs false when a reference (Service, port, Secret, Middleware) could not be resolved
 * @param routers      ids of the routers built from this object (for Middlewares: the routers that use it)
 * @param hosts        host names the object routes (IngressRoute {@code Host()} rules, Ingress rule hosts)
 */
public record ObjectStatus(
        ObjectRef ref, long generation, boolean accepted, boolean resolvedRefs, List<String> routers,
        List<String> hosts) {
    public ObjectStatus {
        Objects.requireNonNull(ref, "ref");
        routers = List.copyOf(routers);
        hosts = List.copyOf(hosts);
    }
}
