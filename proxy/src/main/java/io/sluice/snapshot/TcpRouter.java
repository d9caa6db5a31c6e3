package io.sluice.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * A TLS passthrough route: TLS connections whose ClientHello names a matching server (SNI) are relayed, still
 * encrypted, to a {@link TcpService}; the proxy never terminates them. Comes from a Traefik-style
 * {@code IngressRouteTCP} with {@code tls.passthrough: true}.
 *
 * @param id            unique among TCP routers, for example {@code ingressroutetcp/default/db/0}
 * @param entryPoints   entrypoint names; empty means every TLS entrypoint
 * @param hostSni       exact server names (lower case), or {@code *} for any name including none
 * @param hostSniRegexp RE2 regular expressions matched against the whole server name
 * @param priority      higher wins; ties break on {@code id}. The operator fills in Traefik's default (the
 *                      length of the match expression) when the object leaves it at 0
 * @param service       id of a {@link TcpService}
 */
public record TcpRouter(
        String id,
        List<String> entryPoints,
        List<String> hostSni,
        List<String> hostSniRegexp,
        int priority,
        String service) {

    /** The server name pattern that matches every connection, with or without SNI. */
    public static final String ANY_HOST = "*";

    public TcpRouter {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(service, "service");
        entryPoints = Lists.copy(entryPoints);
        hostSni = Lists.copy(hostSni);
        hostSniRegexp = Lists.copy(hostSniRegexp);
        if (priority < 0) {
            throw new IllegalArgumentException("tcp router " + id + ": priority must be >= 0");
        }
    }
}
