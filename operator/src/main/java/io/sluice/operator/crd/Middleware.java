package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Version;

/** A request/response transformation that routes refer to by name; exactly one middleware type per object. */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@ShortNames("mw")
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
@AdditionalPrinterColumn(name = "Accepted", jsonPath = ".status.conditions[?(@.type==\"Accepted\")].status",
        type = AdditionalPrinterColumn.Type.STRING)
public class Middleware extends CustomResource<MiddlewareDefinition, MiddlewareStatus> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
