package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** HTTP routes written as Traefik rule expressions, each to one or more weighted Kubernetes Services. */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@ShortNames("ir")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Ready", jsonPath = ".status.conditions[?(@.type==\"Programmed\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Hosts", jsonPath = ".status.hosts", type = AdditionalPrinterColumn.Type.STRING)
public class IngressRoute extends CustomResource<IngressRouteSpec, IngressRouteStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;

    public static final String GROUP = "sluice.io";
    public static final String VERSION = "v1alpha1";
}
