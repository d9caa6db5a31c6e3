package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * A service built from other services, as Traefik's {@code TraefikService}: a weighted split (canaries, blue/green,
 * with optional stickiness at the split) or a mirroring service (every request to one service, copies of a share of
 * them to others). IngressRoutes reach it with {@code services[].kind: TraefikService}; TraefikServices may nest.
 * Exists so a Traefik manifest moves over by changing its {@code apiVersion} only.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@ShortNames("tsvc")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
public class TraefikService extends CustomResource<TraefikServiceSpec, TraefikServiceStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
