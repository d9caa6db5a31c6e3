package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.Cache;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.ServersTransport;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.TranslationOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The JOSDK informer caches translation reads, gathered in one place: the primary caches of the four
 * controllers (Ingress, IngressRoute, Middleware, TraefikService) and the shared secondary event sources (Service,
 * EndpointSlice, Secret, IngressClass, TLSOption, ServersTransport). The controllers hand their caches in while the
 * operator prepares their
 * event sources; {@link #view} then reads all of them at one moment.
 *
 * <p>Nothing here writes to the cluster or holds state of its own besides the references to JOSDK's caches.
 */
public final class ClusterObjects {
    private volatile Cache<Ingress> ingresses;
    private volatile Cache<IngressRoute> ingressRoutes;
    private volatile Cache<Middleware> middlewares;
    private volatile Cache<TraefikService> traefikServices;
    private volatile Cache<IngressClass> ingressClasses;
    private volatile Cache<Service> services;
    private volatile Cache<EndpointSlice> endpointSlices;
    private volatile Cache<Secret> secrets;
    private volatile Cache<TLSOption> tlsOptions;
    private volatile Cache<ServersTransport> serversTransports;
    private volatile Cache<IngressRouteTCP> ingressRouteTcps;

    /** True once every cache has been handed in (the operator registered all controllers and sources). */
    public boolean complete() {
        return ingresses != null && ingressRoutes != null && middlewares != null && traefikServices != null
                && ingressClasses != null && services != null && endpointSlices != null && secrets != null
                && tlsOptions != null && serversTransports != null && ingressRouteTcps != null;
    }

    /** The cached objects right now. */
    public ClusterView view(TranslationOptions options) {
        if (!complete()) {
            throw new IllegalStateException("caches not registered yet");
        }
        return new ClusterView(list(ingresses), list(ingressClasses), list(ingressRoutes), list(middlewares),
                list(services), list(endpointSlices), list(secrets), options, list(tlsOptions),
                list(serversTransports), list(traefikServices), list(ingressRouteTcps));
    }

    /** Every cached Ingress, IngressRoute, Middleware and TraefikService: the objects whose status is ours to write. */
    public List<HasMetadata> ownObjects() {
        List<HasMetadata> objects = new ArrayList<>();
        if (complete()) {
            objects.addAll(list(ingresses));
            objects.addAll(list(ingressRoutes));
            objects.addAll(list(middlewares));
            objects.addAll(list(traefikServices));
            objects.addAll(list(ingressRouteTcps));
        }
        return objects;
    }

    public Optional<Ingress> ingress(String namespace, String name) {
        return find(ingresses, namespace, name);
    }

    public Optional<IngressRoute> ingressRoute(String namespace, String name) {
        return find(ingressRoutes, namespace, name);
    }

    public Optional<Middleware> middleware(String namespace, String name) {
        return find(middlewares, namespace, name);
    }

    public Optional<TraefikService> traefikService(String namespace, String name) {
        return find(traefikServices, namespace, name);
    }

    public Optional<IngressRouteTCP> ingressRouteTcp(String namespace, String name) {
        return find(ingressRouteTcps, namespace, name);
    }

    /** The cached primary object a problem or status names, if its kind is one of ours and it is cached. */
    public Optional<HasMetadata> primary(ObjectRef ref) {
        switch (ref.kind()) {
            case "Ingress":
                return ingress(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "IngressRoute":
                return ingressRoute(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "Middleware":
                return middleware(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "TraefikService":
                return traefikService(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            case "IngressRouteTCP":
                return ingressRouteTcp(ref.namespace(), ref.name()).map(HasMetadata.class::cast);
            default:
                return Optional.empty();
        }
    }

    void ingresses(Cache<Ingress> cache) {
        ingresses = cache;
    }

    void ingressRoutes(Cache<IngressRoute> cache) {
        ingressRoutes = cache;
    }

    void middlewares(Cache<Middleware> cache) {
        middlewares = cache;
    }

    void traefikServices(Cache<TraefikService> cache) {
        traefikServices = cache;
    }

    void ingressRouteTcps(Cache<IngressRouteTCP> cache) {
        ingressRouteTcps = cache;
    }

    void ingressClasses(Cache<IngressClass> cache) {
        ingressClasses = cache;
    }

    void services(Cache<Service> cache) {
        services = cache;
    }

    void endpointSlices(Cache<EndpointSlice> cache) {
        endpointSlices = cache;
    }

    void secrets(Cache<Secret> cache) {
        secrets = cache;
    }

    void tlsOptions(Cache<TLSOption> cache) {
        tlsOptions = cache;
    }

    void serversTransports(Cache<ServersTransport> cache) {
        serversTransports = cache;
    }

    private static <T> Optional<T> find(Cache<T> cache, String namespace, String name) {
        return cache == null ? Optional.empty() : cache.get(new ResourceID(name, namespace));
    }

    private static <T> List<T> list(Cache<T> cache) {
        return cache.list().toList();
    }
}
