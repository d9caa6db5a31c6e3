package io.sluice.operator.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.sluice.operator.crd.ServersTransport;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.sluice.operator.crd.TLSOption;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.source.EventSource;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import java.util.List;
import java.util.Objects;

/**
 * The informer event sources for the kinds every primary's translation reads: Services, EndpointSlices,
 * Secrets, TLSOptions and ServersTransports in the controller's namespaces, IngressClasses cluster-wide. They are
 * built once, on the Ingress controller, and shared with the others through {@link ClusterObjects}:
 * three copies of the Secret cache would cost memory and API watches for nothing, since no event of theirs
 * reconciles one primary anyway ({@link ChangeSignal}).
 */
final class SharedSources {
    private final ClusterObjects objects;
    private final Runnable changed;

    SharedSources(ClusterObjects objects, Runnable changed) {
        this.objects = Objects.requireNonNull(objects, "objects");
        this.changed = Objects.requireNonNull(changed, "changed");
    }

    <P extends HasMetadata> List<EventSource<?, P>> create(EventSourceContext<P> context) {
        InformerEventSource<Service, P> services = namespaced(Service.class, "services", context);
        InformerEventSource<EndpointSlice, P> slices = namespaced(EndpointSlice.class, "endpointslices", context);
        InformerEventSource<Secret, P> secrets = namespaced(Secret.class, "secrets", context);
        InformerEventSource<TLSOption, P> tlsOptions = namespaced(TLSOption.class, "tlsoptions", context);
        InformerEventSource<ServersTransport, P> transports = namespaced(ServersTransport.class,
                "serverstransports", context);
        InformerEventSource<IngressClass, P> classes = new InformerEventSource<>(
                configure(InformerEventSourceConfiguration.from(IngressClass.class, context.getPrimaryResourceClass()),
                        "ingressclasses").withWatchAllNamespaces().build(), context);
        objects.services(services);
        objects.endpointSlices(slices);
        objects.secrets(secrets);
        objects.serversTransports(transports);
        objects.ingressClasses(classes);
        objects.tlsOptions(tlsOptions);
        return List.of(services, slices, secrets, classes, tlsOptions, transports);
    }

    private <R extends HasMetadata, P extends HasMetadata> InformerEventSource<R, P> namespaced(Class<R> type,
            String name, EventSourceContext<P> context) {
        return new InformerEventSource<>(configure(InformerEventSourceConfiguration.from(type,
                context.getPrimaryResourceClass()), name).withNamespacesInheritedFromController().build(), context);
    }

    private <R extends HasMetadata> InformerEventSourceConfiguration.Builder<R> configure(
            InformerEventSourceConfiguration.Builder<R> builder, String name) {
        ChangeSignal<R> signal = new ChangeSignal<>(changed);
        return builder.withName(name)
                .withSecondaryToPrimaryMapper(signal)
                .withPrimaryToSecondaryMapper(signal)
                .withOnUpdateFilter(new RelevantUpdate<>());
    }
}
