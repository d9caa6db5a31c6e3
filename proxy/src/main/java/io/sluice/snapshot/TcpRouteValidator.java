package io.sluice.snapshot;

import com.google.re2j.Pattern;
import com.google.re2j.PatternSyntaxException;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Structural checks of a snapshot's TLS passthrough routes and their services, in the words of
 * {@link SnapshotValidator} ({@code tcp router x: unknown tcp service "y"}).
 */
final class TcpRouteValidator {

    void validate(RoutingSnapshot snapshot, List<String> problems) {
        Map<String, TcpService> services = new HashMap<>();
        for (TcpService service : snapshot.tcpServices()) {
            if (services.putIfAbsent(service.id(), service) != null) {
                problems.add("tcp service " + service.id() + ": duplicate id");
            }
            validateService(service, problems);
        }
        Set<String> routerIds = new HashSet<>();
        for (TcpRouter router : snapshot.tcpRouters()) {
            if (!routerIds.add(router.id())) {
                problems.add("tcp router " + router.id() + ": duplicate id");
            }
            validateRouter(router, services, problems);
        }
    }

    private static void validateRouter(TcpRouter router, Map<String, TcpService> services, List<String> problems) {
        String where = "tcp router " + router.id() + ": ";
        if (!services.containsKey(router.service())) {
            problems.add(where + "unknown tcp service \"" + router.service() + "\"");
        }
        if (router.hostSni().isEmpty() && router.hostSniRegexp().isEmpty()) {
            problems.add(where + "no HostSNI or HostSNIRegexp");
        }
        for (String host : router.hostSni()) {
            if (!host.equals(TcpRouter.ANY_HOST)
                    && (host.startsWith("*") || !HostNames.isValidPattern(host) || !host.equals(host.toLowerCase(java.util.Locale.ROOT)))) {
                problems.add(where + "HostSNI \"" + host + "\" is neither a lower-case DNS name nor *");
            }
        }
        for (String regexp : router.hostSniRegexp()) {
            try {
                Pattern.compile(regexp);
            } catch (PatternSyntaxException e) {
                problems.add(where + "HostSNIRegexp \"" + regexp + "\" is not a valid RE2 expression: "
                        + e.getDescription());
            }
        }
        for (String ep : router.entryPoints()) {
            if (ep.isBlank()) {
                problems.add(where + "blank entrypoint name");
            }
        }
    }

    private static void validateService(TcpService service, List<String> problems) {
        String where = "tcp service " + service.id() + ": ";
        if (service.backends().isEmpty()) {
            problems.add(where + "no backends");
        }
        for (TcpService.Backend backend : service.backends()) {
            if (backend.weight() < 0) {
                problems.add(where + "backend " + backend.name() + " has negative weight");
            }
            for (Endpoint e : backend.endpoints()) {
                if (e.port() < 1 || e.port() > 65535) {
                    problems.add(where + "endpoint " + e.address() + " has invalid port " + e.port());
                }
                if (e.address().isBlank()) {
                    problems.add(where + "endpoint with empty address");
                }
                if (e.weight() < 0) {
                    problems.add(where + "endpoint " + e.authority() + " has negative weight");
                }
            }
        }
    }
}
