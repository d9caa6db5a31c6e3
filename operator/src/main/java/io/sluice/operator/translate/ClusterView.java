package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.ServersTransport;
import io.sluice.operator.crd.TraefikService;
import java.util.List;

/** The objects translation reads, as the informer caches hold them at one moment. */
public record ClusterView(
        List<Ingress> ingresses,
        List<IngressClass> ingressClasses,
        List<IngressRoute> ingressRoutes,
        List<Middleware> middlewares,
        List<Service> services,
        List<EndpointSlice> endpointSlices,
        List<Secret> secrets,
        TranslationOptions options,
        List<TLSOption> tlsOptions,
        List<ServersTransport> serversTransports,
        List<TraefikService> traefikServices,
        List<IngressRouteTCP> ingressRouteTcps) {
    public ClusterView {
        ingressRouteTcps = ingressRouteTcps == null ? List.of() : List.copyOf(ingressRouteTcps);
        tlsOptions = tlsOptions == null ? List.of() : List.copyOf(tlsOptions);
        serversTransports = serversTransports == null ? List.of() : List.copyOf(serversTransports);
        ingresses = List.copyOf(ingresses);
        ingressClasses = List.copyOf(ingressClasses);
        ingressRoutes = List.copyOf(ingressRoutes);
        middlewares = List.copyOf(middlewares);
        services = List.copyOf(services);
        endpointSlices = List.copyOf(endpointSlices);
        secrets = List.copyOf(secrets);
        options = options == null ? TranslationOptions.DEFAULTS : options;
        traefikServices = traefikServices == null ? List.of() : List.copyOf(traefikServices);
    }

    /** A view without IngressRouteTCPs. */
    public ClusterView(List<Ingress> ingresses, List<IngressClass> ingressClasses, List<IngressRoute> ingressRoutes,
            List<Middleware> middlewares, List<Service> services, List<EndpointSlice> endpointSlices,
            List<Secret> secrets, TranslationOptions options, List<TLSOption> tlsOptions,
            List<ServersTransport> serversTransports, List<TraefikService> traefikServices) {
        this(ingresses, ingressClasses, ingressRoutes, middlewares, services, endpointSlices, secrets, options,
                tlsOptions, serversTransports, traefikServices, List.of());
    }

    /** A view with only the built-in kinds and our IngressRoutes and Middlewares. */
    public ClusterView(List<Ingress> ingresses, List<IngressClass> ingressClasses, List<IngressRoute> ingressRoutes,
            List<Middleware> middlewares, List<Service> services, List<EndpointSlice> endpointSlices,
            List<Secret> secrets, TranslationOptions options) {
        this(ingresses, ingressClasses, ingressRoutes, middlewares, services, endpointSlices, secrets, options,
                List.of(), List.of(), List.of());
    }

    /** A view without ServersTransports and TraefikServices. */
    public ClusterView(List<Ingress> ingresses, List<IngressClass> ingressClasses, List<IngressRoute> ingressRoutes,
            List<Middleware> middlewares, List<Service> services, List<EndpointSlice> endpointSlices,
            List<Secret> secrets, TranslationOptions options, List<TLSOption> tlsOptions) {
        this(ingresses, ingressClasses, ingressRoutes, middlewares, services, endpointSlices, secrets, options,
                tlsOptions, List.of(), List.of());
    }
}
