package io.sluice.operator.push;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the proxy pods the operator must push snapshots to, from the EndpointSlices of the proxy admin Service.
 *
 * <p>Not-ready endpoints are included on purpose: a proxy only becomes ready once it holds a snapshot, so the
 * operator must reach it before it is ready. Terminating endpoints are left out: such a pod is going away and
 * must not hold back the fleet's acknowledgement. The port is the slice's port named {@value #PUSH_PORT_NAME},
 * or its only port; a slice with neither is skipped with a warning.
 *
 * <p>An address listed by two slices at once (possible while the EndpointSlice controller moves endpoints
 * between slices) is reported once, and removed only when no slice lists it any more.
 */
public final class ProxyDirectory implements AutoCloseable {
    public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
    public static final String PUSH_PORT_NAME = "push";

    private static final Logger LOG = LoggerFactory.getLogger(ProxyDirectory.class);

    private final KubernetesClient client;
    private final ServiceRef service;
    private final ProxyDirectoryListener listener;
    private final Map<String, Set<ProxyAddress>> addressesBySlice = new HashMap<>();
    private final Set<ProxyAddress> known = new TreeSet<>();
    private SharedIndexInformer<EndpointSlice> informer;

    public ProxyDirectory(KubernetesClient client, ServiceRef service, ProxyDirectoryListener listener) {
        this.client = Objects.requireNonNull(client, "client");
        this.service = Objects.requireNonNull(service, "service");
        this.listener = Objects.requireNonNull(listener, "listener");
    }

    /**
     * Starts watching. Returns once the informer has listed the current slices; the listener hears about their
     * proxies shortly after, on the informer's event thread.
     */
    public synchronized void start() {
        if (informer != null) {
            throw new IllegalStateException("already started");
        }
        informer = client.discovery().v1().endpointSlices()
                .inNamespace(service.namespace())
                .withLabel(SERVICE_NAME_LABEL, service.name())
                .inform(new SliceEvents(), 0);
    }

    /** The proxies known right now, sorted. */
    public synchronized Set<ProxyAddress> proxies() {
        return Set.copyOf(known);
    }

    @Override
    public synchronized void close() {
        if (informer != null) {
            informer.close();
        }
    }

    private synchronized void sliceChanged(EndpointSlice slice) {
        addressesBySlice.put(slice.getMetadata().getName(), addressesOf(slice));
        publishDifference();
    }

    private synchronized void sliceDeleted(EndpointSlice slice) {
        addressesBySlice.remove(slice.getMetadata().getName());
        publishDifference();
    }

    private void publishDifference() {
        Set<ProxyAddress> now = new TreeSet<>();
        addressesBySlice.values().forEach(now::addAll);
        for (ProxyAddress gone : List.copyOf(known)) {
            if (!now.contains(gone)) {
                known.remove(gone);
                LOG.info("proxy {} left service {}", gone, service);
                listener.proxyRemoved(gone);
            }
        }
        for (ProxyAddress added : now) {
            if (known.add(added)) {
                LOG.info("proxy {} joined service {}", added, service);
                listener.proxyAdded(added);
            }
        }
    }

    private Set<ProxyAddress> addressesOf(EndpointSlice slice) {
        Integer port = pushPort(slice);
        if (port == null) {
            LOG.warn("EndpointSlice {}/{} of service {} has no port named '{}' and not exactly one port; ignoring it",
                    slice.getMetadata().getNamespace(), slice.getMetadata().getName(), service, PUSH_PORT_NAME);
            return Set.of();
        }
        Set<ProxyAddress> addresses = new TreeSet<>();
        List<Endpoint> endpoints = slice.getEndpoints() == null ? List.of() : slice.getEndpoints();
        for (Endpoint endpoint : endpoints) {
            if (isTerminating(endpoint.getConditions()) || endpoint.getAddresses() == null) {
                continue;
            }
            for (String ip : endpoint.getAddresses()) {
                addresses.add(new ProxyAddress(ip, port));
            }
        }
        return addresses;
    }

    private static boolean isTerminating(EndpointConditions conditions) {
        return conditions != null && Boolean.TRUE.equals(conditions.getTerminating());
    }

    private static Integer pushPort(EndpointSlice slice) {
        List<EndpointPort> ports = slice.getPorts() == null ? List.of() : slice.getPorts();
        for (EndpointPort port : ports) {
            if (PUSH_PORT_NAME.equals(port.getName()) && port.getPort() != null) {
                return port.getPort();
            }
        }
        if (ports.size() == 1 && ports.get(0).getPort() != null) {
            return ports.get(0).getPort();
        }
        return null;
    }

    /** Informer callbacks, all funnelled into the two synchronized methods above. */
    private final class SliceEvents implements ResourceEventHandler<EndpointSlice> {
        @Override
        public void onAdd(EndpointSlice slice) {
            sliceChanged(slice);
        }

        @Override
        public void onUpdate(EndpointSlice oldSlice, EndpointSlice newSlice) {
            sliceChanged(newSlice);
        }

        @Override
        public void onDelete(EndpointSlice slice, boolean deletedFinalStateUnknown) {
            sliceDeleted(slice);
        }
    }
}
