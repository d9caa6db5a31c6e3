package io.sluice.operator.translate;

import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import java.util.ArrayList;
import java.util.List;

/**
 * What the proxy of this Sluice version can serve. A proxy refuses a whole snapshot that uses a feature it lacks,
 * so one object asking for such a feature would block every other object's updates on every proxy. Instead the
 * translator degrades that one service here and reports it on its object: a scheme the proxy cannot speak to
 * ({@code https}; {@code http} and {@code h2c} are served) fails closed (no endpoints, requests get 503).
 */
final class ProxySupport {

    /** A load balancer the proxy can serve, and the problems (field suffix, message) of what was taken out. */
    record Adjusted(Service.LoadBalancer service, List<String[]> problems) {
    }

    private ProxySupport() {
    }

    static Adjusted adjust(Service.LoadBalancer lb) {
        List<String[]> problems = new ArrayList<>();
        Service.LoadBalancer result = lb;
        if (lb.scheme() == Scheme.HTTPS) {
            problems.add(new String[] {".scheme", "scheme " + lb.scheme().name().toLowerCase()
                    + " to backends is not supported by this Sluice version yet; requests get 503"});
            result = new Service.LoadBalancer(lb.id(), List.of(), Scheme.HTTP, lb.passHostHeader(), lb.strategy(),
                    lb.sticky(), lb.healthCheck(), lb.timeouts(), lb.passiveHealthCheck());
        }
        return new Adjusted(result, problems);
    }
}
