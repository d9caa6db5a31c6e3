package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * Traefik's {@code TLSOption}: TLS versions, cipher suites, client certificates, strict SNI and ALPN for the hosts
 * of the IngressRoutes ({@code spec.tls.options}) and Ingresses ({@code sluice.io/router.tls.options}) that name
 * it. The one named {@code default} in the operator's namespace applies to every other host. Problems with one
 * (a missing CA Secret, an unknown cipher) are reported on the objects that name it.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class TLSOption extends CustomResource<TLSOptionSpec, Void> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
