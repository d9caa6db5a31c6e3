package io.sluice.snapshot;

import java.util.List;
import java.util.Objects;

/**
 * Where a {@link TcpRouter} relays its connections: one or more Kubernetes Service ports, each with a weight
 * (Traefik's {@code services[].weight}); a connection picks a backend by weight, then one of its endpoints in
 * turn.
 */
public record TcpService(String id, List<Backend> backends) {
    public TcpService {
        Objects.requireNonNull(id, "id");
        backends = Lists.copy(backends);
    }

    /**
     * The endpoints of one Service port.
     *
     * @param name   where the endpoints came from, for example {@code default/db:5432}; shown in logs
     * @param weight relative share of connections; 0 takes the backend out of rotation
     */
    public record Backend(String name, int weight, List<Endpoint> endpoints) {
        public Backend {
            Objects.requireNonNull(name, "name");
            endpoints = Lists.copy(endpoints);
        }
    }
}
