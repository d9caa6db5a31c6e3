package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * TLS passthrough routes, as Traefik's {@code IngressRouteTCP}: TLS connections whose server name (SNI) matches a
 * route's {@code HostSNI} go, still encrypted, to its Services; the proxy never terminates them. Only
 * {@code tls.passthrough: true} is served (no plain TCP, no terminated TCP). Exists so a Traefik manifest moves
 * over by changing its {@code apiVersion} only. Its status has the same conditions as an IngressRoute's, and the
 * server names it routes.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@ShortNames("irt")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "SNI", jsonPath = ".status.hosts", type = AdditionalPrinterColumn.Type.STRING)
public class IngressRouteTCP extends CustomResource<IngressRouteTCPSpec, IngressRouteStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
