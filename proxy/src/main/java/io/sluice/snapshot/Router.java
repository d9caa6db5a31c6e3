package io.sluice.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * One routing rule: which requests it takes ({@link RouteMatch}), on which entrypoints, through which
 * middlewares (in order) to which service.
 *
 * @param id          unique in the snapshot; the operator derives it from the source object, for example
 *                    {@code ingressroute/default/web/0}; shown in logs, metrics and the debug view
 * @param entryPoints entrypoint names ({@code web}, {@code websecure}); empty means every entrypoint
 * @param priority    0 means the default: the rule's length (Traefik); higher wins; ties break on {@code id}
 * @param middlewares middleware ids, applied in order
 * @param service     service id
 * @param tls         null when the router serves plain HTTP only
 */
public record Router(
        String id,
        List<String> entryPoints,
        RouteMatch match,
        int priority,
        List<String> middlewares,
        String service,
        RouterTls tls) {

    public Router {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(match, "match");
        Objects.requireNonNull(service, "service");
        entryPoints = Lists.copy(entryPoints);
        middlewares = Lists.copy(middlewares);
        if (priority < 0) {
            throw new IllegalArgumentException("router " + id + ": priority must be >= 0");
        }
    }
}
