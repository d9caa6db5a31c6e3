package io.sluice.proxy.passthrough;

import io.sluice.snapshot.Endpoint;
import io.sluice.snapshot.TcpRouter;
import io.sluice.snapshot.TcpService;
import java.util.Set;

/** One compiled TCP router: where it listens, which server names it takes, and its service's endpoints. */
final class PassthroughRoute {
    private final String id;
    private final int priority;
    private final Set<String> entryPoints;
    private final ServerNameMatcher names;
    private final WeightedBackends backends;

    PassthroughRoute(TcpRouter router, TcpService service) {
        this.id = router.id();
        this.priority = router.priority();
        this.entryPoints = Set.copyOf(router.entryPoints());
        this.names = new ServerNameMatcher(router);
        this.backends = new WeightedBackends(service);
    }

    String id() {
        return id;
    }

    int priority() {
        return priority;
    }

    boolean takes(String entryPoint, String serverName) {
        return (entryPoints.isEmpty() || entryPoints.contains(entryPoint)) && names.matches(serverName);
    }

    /** @return null when the service has no usable endpoint */
    Endpoint nextEndpoint() {
        return backends.next();
    }
}
