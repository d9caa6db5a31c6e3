package io.sluice.operator.standalone;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Starts an {@link EchoBackend} on every loopback address and port that the EndpointSlices of a manifest set point
 * at (standalone mode's {@code --echo-backends}), named after the slice's Service. Non-loopback endpoints are left
 * alone: they are real backends somewhere else.
 */
public final class EchoBackends implements AutoCloseable {
    static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";

    private final Map<InetSocketAddress, EchoBackend> running = new LinkedHashMap<>();

    /** Starts backends for loopback endpoints not already served; returns the ones it started. */
    public List<EchoBackend> ensureStarted(List<HasMetadata> objects) throws IOException {
        List<EchoBackend> started = new ArrayList<>();
        for (HasMetadata object : objects) {
            if (!(object instanceof EndpointSlice slice) || slice.getEndpoints() == null || slice.getPorts() == null) {
                continue;
            }
            String service = slice.getMetadata().getLabels() == null ? null
                    : slice.getMetadata().getLabels().get(SERVICE_NAME_LABEL);
            String name = service != null ? service : slice.getMetadata().getName();
            for (Endpoint endpoint : slice.getEndpoints()) {
                for (String address : endpoint.getAddresses() == null ? List.<String>of() : endpoint.getAddresses()) {
                    InetAddress ip = loopback(address);
                    if (ip == null) {
                        continue;
                    }
                    for (EndpointPort port : slice.getPorts()) {
                        if (port.getPort() == null) {
                            continue;
                        }
                        InetSocketAddress socket = new InetSocketAddress(ip, port.getPort());
                        if (!running.containsKey(socket)) {
                            EchoBackend backend = new EchoBackend(name, socket).start();
                            running.put(socket, backend);
                            started.add(backend);
                        }
                    }
                }
            }
        }
        return started;
    }

    private static InetAddress loopback(String address) {
        try {
            InetAddress ip = InetAddress.getByName(address);
            return ip.isLoopbackAddress() ? ip : null;
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public void close() {
        running.values().forEach(EchoBackend::close);
        running.clear();
    }
}
