package io.sluice.operator.crd;

import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Version;

/**
 * How the proxy speaks TLS to the backends of the services that refer to it (Traefik's ServersTransport). It
 * has no status of its own: a problem with it is reported on each IngressRoute or Ingress that refers to it.
 */
@Group(IngressRoute.GROUP)
@Version(IngressRoute.VERSION)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp",
        type = AdditionalPrinterColumn.Type.DATE)
public class ServersTransport extends CustomResource<ServersTransportSpec, Void> implements Namespaced {
    private static final long serialVersionUID = 1L;
}
