package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.sluice.snapshot.Endpoint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * Turns a Service port reference (by number or by name) into endpoints: finds the Service port, then that port
 * in every EndpointSlice labelled {@code kubernetes.io/service-name} for the Service.
 */
final class BackendResolver {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<String, io.fabric8.kubernetes.api.model.Service> services = new HashMap<>();
    private final Map<String, List<EndpointSlice>> slices = new HashMap<>();
    private final ReadRecorder reads;

    BackendResolver(List<io.fabric8.kubernetes.api.model.Service> services, List<EndpointSlice> endpointSlices) {
        this(services, endpointSlices, new ReadRecorder());
    }

    /** @param reads told of each Service and its EndpointSlices as they are read */
    BackendResolver(List<io.fabric8.kubernetes.api.model.Service> services, List<EndpointSlice> endpointSlices,
            ReadRecorder reads) {
        this.reads = reads;
        for (io.fabric8.kubernetes.api.model.Service s : services) {
            this.services.put(key(s.getMetadata().getNamespace(), s.getMetadata().getName()), s);
        }
        for (EndpointSlice slice : endpointSlices) {
            Map<String, String> labels = slice.getMetadata().getLabels();
            String owner = labels == null ? null : labels.get(SERVICE_NAME_LABEL);
            if (owner != null) {
                slices.computeIfAbsent(key(slice.getMetadata().getNamespace(), owner), k -> new ArrayList<>())
                        .add(slice);
            }
        }
    }

    /** The endpoints, or an error saying what could not be found. */
    record Backend(List<Endpoint> endpoints, String error) {
    }

    Backend resolve(String namespace, String name, IntOrString port) {
        reads.read(InputVersions.service(namespace, name));
        reads.read(InputVersions.endpointSlices(namespace, name));
        io.fabric8.kubernetes.api.model.Service service = services.get(key(namespace, name));
        if (service == null) {
            return new Backend(List.of(), "Service " + namespace + "/" + name + " not found");
        }
        ServicePort servicePort = findPort(service, port);
        if (servicePort == null) {
            return new Backend(List.of(), "Service " + namespace + "/" + name + " has no port " + describe(port));
        }
        String portName = servicePort.getName() == null ? "" : servicePort.getName();
        TreeMap<String, Endpoint> byAuthority = new TreeMap<>();
        for (EndpointSlice slice : slices.getOrDefault(key(namespace, name), List.of())) {
            Integer number = slicePort(slice, portName);
            if (number == null || slice.getEndpoints() == null) {
                continue;
            }
            for (io.fabric8.kubernetes.api.model.discovery.v1.Endpoint e : slice.getEndpoints()) {
                EndpointConditions c = e.getConditions();
                boolean ready = c == null || c.getReady() == null || c.getReady();
                boolean serving = c == null || c.getServing() == null ? ready : c.getServing();
                boolean terminating = c != null && Boolean.TRUE.equals(c.getTerminating());
                for (String address : e.getAddresses() == null ? List.<String>of() : e.getAddresses()) {
                    Endpoint endpoint = new Endpoint(address, number, 1, ready, serving, terminating);
                    byAuthority.merge(endpoint.authority(), endpoint, (a, b) -> a.ready() ? a : b);
                }
            }
        }
        return new Backend(List.copyOf(byAuthority.values()), null);
    }

    private static ServicePort findPort(io.fabric8.kubernetes.api.model.Service service, IntOrString port) {
        if (service.getSpec() == null || service.getSpec().getPorts() == null) {
            return null;
        }
        for (ServicePort p : service.getSpec().getPorts()) {
            boolean byNumber = port.getIntVal() != null && port.getIntVal().equals(p.getPort());
            boolean byName = port.getStrVal() != null && port.getStrVal().equals(p.getName());
            if (byNumber || byName) {
                return p;
            }
        }
        return null;
    }

    private static Integer slicePort(EndpointSlice slice, String portName) {
        for (EndpointPort p : slice.getPorts() == null ? List.<EndpointPort>of() : slice.getPorts()) {
            if (Objects.equals(p.getName() == null ? "" : p.getName(), portName) && p.getPort() != null) {
                return p.getPort();
            }
        }
        return null;
    }

    static String describe(IntOrString port) {
        return port.getIntVal() != null ? String.valueOf(port.getIntVal()) : "\"" + port.getStrVal() + "\"";
    }

    private static String key(String namespace, String name) {
        return namespace + "/" + name;
    }
}
