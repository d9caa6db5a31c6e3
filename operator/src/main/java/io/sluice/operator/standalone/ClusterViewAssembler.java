package io.sluice.operator.standalone;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.ServersTransport;
import io.sluice.operator.crd.TraefikService;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.TranslationOptions;
import java.util.ArrayList;
import java.util.List;

/**
 * Sorts the objects of a manifest directory into the {@link ClusterView} the translator reads, the way the API
 * server and the informers would present them: namespaced objects without a namespace land in {@code default}.
 * Objects of kinds Sluice does not read (Deployments, ConfigMaps, ...) are listed in {@link Assembled#ignored()}.
 */
public final class ClusterViewAssembler {
    private static final String DEFAULT_NAMESPACE = "default";

    /** A serialization that knows our custom resources, for {@link ManifestDirectory}. */
    public static KubernetesSerialization serialization() {
        KubernetesSerialization serialization = new KubernetesSerialization();
        serialization.registerKubernetesResource(IngressRoute.class);
        serialization.registerKubernetesResource(Middleware.class);
        serialization.registerKubernetesResource(TLSOption.class);
        serialization.registerKubernetesResource(ServersTransport.class);
        serialization.registerKubernetesResource(TraefikService.class);
        serialization.registerKubernetesResource(IngressRouteTCP.class);
        return serialization;
    }

    /** The view, and the objects it left out because Sluice does not read their kind. */
    public record Assembled(ClusterView view, List<String> ignored) {
    }

    public Assembled assemble(List<HasMetadata> objects, TranslationOptions options) {
        List<Ingress> ingresses = new ArrayList<>();
        List<IngressClass> classes = new ArrayList<>();
        List<IngressRoute> routes = new ArrayList<>();
        List<Middleware> middlewares = new ArrayList<>();
        List<TraefikService> traefikServices = new ArrayList<>();
        List<Service> services = new ArrayList<>();
        List<EndpointSlice> slices = new ArrayList<>();
        List<Secret> secrets = new ArrayList<>();
        List<TLSOption> tlsOptions = new ArrayList<>();
        List<ServersTransport> transports = new ArrayList<>();
        List<IngressRouteTCP> tcpRoutes = new ArrayList<>();
        List<String> ignored = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (object instanceof IngressClass c) {
                classes.add(c);
                continue;
            }
            if (object.getMetadata().getNamespace() == null) {
                object.getMetadata().setNamespace(DEFAULT_NAMESPACE);
            }
            if (object.getMetadata().getGeneration() == null) {
                object.getMetadata().setGeneration(1L);
            }
            if (object instanceof Ingress i) {
                ingresses.add(i);
            } else if (object instanceof IngressRoute r) {
                routes.add(r);
            } else if (object instanceof Middleware m) {
                middlewares.add(m);
            } else if (object instanceof TraefikService t) {
                traefikServices.add(t);
            } else if (object instanceof Service s) {
                services.add(s);
            } else if (object instanceof EndpointSlice e) {
                slices.add(e);
            } else if (object instanceof Secret s) {
                secrets.add(s);
            } else if (object instanceof TLSOption t) {
                tlsOptions.add(t);
            } else if (object instanceof ServersTransport t) {
                transports.add(t);
            } else if (object instanceof IngressRouteTCP t) {
                tcpRoutes.add(t);
            } else {
                ignored.add(object.getKind() + " " + object.getMetadata().getNamespace() + "/"
                        + object.getMetadata().getName());
            }
        }
        return new Assembled(new ClusterView(ingresses, classes, routes, middlewares, services, slices, secrets,
                options, tlsOptions, transports, traefikServices, tcpRoutes), ignored);
    }
}
