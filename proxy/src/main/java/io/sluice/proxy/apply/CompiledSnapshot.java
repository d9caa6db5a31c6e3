package io.sluice.proxy.apply;

import io.sluice.proxy.passthrough.PassthroughRoutes;
import io.sluice.proxy.router.CompiledRouter;
import io.sluice.proxy.tls.SniCertificates;
import java.util.Objects;

/**
 * A snapshot compiled for the data path: the router over {@link CompiledRoute}s and, once compiled for an HTTPS
 * entrypoint, the certificates chosen by server name. Immutable; swapped whole, so a TLS handshake and the request
 * after it read the same version.
 *
 * @param certificates null when the snapshot's certificates were not compiled (no HTTPS entrypoint)
 * @param parts        what the {@link DataPlaneCompiler} built, for an endpoint-only change to reuse; null when
 *                     the snapshot was compiled some other way
 * @param passthrough  the TLS passthrough routes, consulted on TLS entrypoints before termination
 */
public record CompiledSnapshot(CompiledRouter<CompiledRoute> router, int routeCount, SniCertificates certificates,
        CompiledParts parts, PassthroughRoutes passthrough) {
    public CompiledSnapshot {
        Objects.requireNonNull(router, "router");
        passthrough = passthrough == null ? PassthroughRoutes.NONE : passthrough;
    }

    public CompiledSnapshot(CompiledRouter<CompiledRoute> router, int routeCount, SniCertificates certificates,
            CompiledParts parts) {
        this(router, routeCount, certificates, parts, PassthroughRoutes.NONE);
    }

    public CompiledSnapshot(CompiledRouter<CompiledRoute> router, int routeCount, SniCertificates certificates) {
        this(router, routeCount, certificates, (CompiledParts) null);
    }

    public CompiledSnapshot(CompiledRouter<CompiledRoute> router, int routeCount) {
        this(router, routeCount, null);
    }

    public CompiledSnapshot withCertificates(SniCertificates sni) {
        return new CompiledSnapshot(router, routeCount, sni, parts, passthrough);
    }

    public CompiledSnapshot withPassthrough(PassthroughRoutes routes) {
        return new CompiledSnapshot(router, routeCount, certificates, parts, routes);
    }
}
