package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.sluice.operator.crd.Names;
import io.sluice.operator.crd.ServiceRef;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.HostNames;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Sticky;
import io.sluice.snapshot.Strategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code sluice.io/} annotations of an Ingress, parsed into typed values. Values are validated and never
 * spliced into rule text; an unknown {@code sluice.io/router.*} or {@code sluice.io/service.*} key is an error
 * too, so a typo cannot silently drop, say, an authentication middleware.
 *
 * @param middlewares references as written ({@code <namespace>-<name>}, optional {@code @kubernetescrd})
 * @param priority    0 when absent
 * @param sticky      null when not sticky; a null cookie name is derived later from the service id
 * @param serversTransport null, or the ServersTransport ({@code <namespace>-<name>}) for https backends
 * @param strategy    how each backend balances over its endpoints
 * @param healthCheck null when there is no active health check
 * @param passiveHealthCheck null when endpoints are not ejected on failed exchanges
 * @param canaryWeight null when the Ingress is not a canary; else the percentage (0..100) of its main Ingress's
 *                    traffic it takes ({@link IngressCanaries})
 */
record IngressAnnotations(
        List<String> entryPoints, List<String> middlewares, int priority, boolean tls, Scheme scheme,
        boolean passHostHeader, Sticky sticky, List<String> errors, String serversTransport, Strategy strategy,
        HealthCheck healthCheck, PassiveHealthCheck passiveHealthCheck, Integer canaryWeight) {

    static final String PREFIX = "sluice.io/";
    static final String ENTRYPOINTS = "sluice.io/router.entrypoints";
    static final String MIDDLEWARES = "sluice.io/router.middlewares";
    static final String PRIORITY = "sluice.io/router.priority";
    static final String TLS = "sluice.io/router.tls";
    static final String SCHEME = "sluice.io/service.scheme";
    static final String PASS_HOST_HEADER = "sluice.io/service.passhostheader";
    static final String STICKY = "sluice.io/service.sticky.cookie";
    static final String STICKY_NAME = "sluice.io/service.sticky.cookie.name";
    static final String STICKY_SECURE = "sluice.io/service.sticky.cookie.secure";
    static final String STICKY_HTTP_ONLY = "sluice.io/service.sticky.cookie.httponly";
    static final String STICKY_SAME_SITE = "sluice.io/service.sticky.cookie.samesite";
    static final String STICKY_MAX_AGE = "sluice.io/service.sticky.cookie.maxage";
    static final String STICKY_PATH = "sluice.io/service.sticky.cookie.path";
    static final String SERVERS_TRANSPORT = "sluice.io/service.serverstransport";
    static final String STRATEGY = "sluice.io/service.strategy";
    static final String HEALTH_CHECK_PATH = "sluice.io/service.healthcheck.path";
    static final String HEALTH_CHECK_INTERVAL = "sluice.io/service.healthcheck.interval";
    static final String HEALTH_CHECK_TIMEOUT = "sluice.io/service.healthcheck.timeout";
    static final String HEALTH_CHECK_SCHEME = "sluice.io/service.healthcheck.scheme";
    static final String HEALTH_CHECK_HOSTNAME = "sluice.io/service.healthcheck.hostname";
    static final String HEALTH_CHECK_PORT = "sluice.io/service.healthcheck.port";
    static final String HEALTH_CHECK_STATUS = "sluice.io/service.healthcheck.status";
    static final String PASSIVE_FAILURE_WINDOW = "sluice.io/service.passivehealthcheck.failurewindow";
    static final String PASSIVE_MAX_FAILED = "sluice.io/service.passivehealthcheck.maxfailedattempts";
    static final String CANARY = "sluice.io/canary";
    static final String CANARY_WEIGHT = "sluice.io/canary.weight";
    private static final Set<String> HEALTH_CHECK_KEYS = Set.of(HEALTH_CHECK_PATH, HEALTH_CHECK_INTERVAL,
            HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_SCHEME, HEALTH_CHECK_HOSTNAME, HEALTH_CHECK_PORT, HEALTH_CHECK_STATUS);
    private static final Set<String> KNOWN = Set.of(ENTRYPOINTS, MIDDLEWARES, PRIORITY, TLS, SCHEME,
            PASS_HOST_HEADER, STICKY, STICKY_NAME, STICKY_SECURE, STICKY_HTTP_ONLY, STICKY_SAME_SITE, STICKY_MAX_AGE,
            STICKY_PATH, IngressTranslator.TLS_OPTIONS_ANNOTATION, SERVERS_TRANSPORT, STRATEGY, HEALTH_CHECK_PATH,
            HEALTH_CHECK_INTERVAL, HEALTH_CHECK_TIMEOUT, HEALTH_CHECK_SCHEME, HEALTH_CHECK_HOSTNAME, HEALTH_CHECK_PORT,
            HEALTH_CHECK_STATUS, PASSIVE_FAILURE_WINDOW, PASSIVE_MAX_FAILED);

    /** Errors are {@code annotation: message} pairs joined by {@code \u0000}: the key, then the message. */
    static IngressAnnotations parse(Map<String, String> annotations) {
        Map<String, String> a = annotations == null ? Map.of() : annotations;
        List<String> errors = new ArrayList<>();
        for (String key : a.keySet()) {
            if ((key.startsWith(PREFIX + "router.") || key.startsWith(PREFIX + "service.")) && !KNOWN.contains(key)) {
                errors.add(key + "\u0000unknown annotation");
            }
        }
        List<String> entryPoints = list(a.get(ENTRYPOINTS));
        for (String ep : entryPoints) {
            if (!ep.matches(Names.ENTRYPOINT)) {
                errors.add(ENTRYPOINTS + "\u0000invalid entrypoint name \"" + ep + "\"");
            }
        }
        List<String> middlewares = list(a.get(MIDDLEWARES));
        int priority = 0;
        if (a.get(PRIORITY) != null) {
            try {
                priority = Integer.parseInt(a.get(PRIORITY).strip());
                if (priority < 0) {
                    errors.add(PRIORITY + "\u0000must be >= 0");
                }
            } catch (NumberFormatException e) {
                errors.add(PRIORITY + "\u0000not an integer");
            }
        }
        boolean tls = bool(a, TLS, false, errors);
        Scheme scheme = Scheme.HTTP;
        String s = a.get(SCHEME);
        if (s != null) {
            switch (s.strip().toLowerCase(Locale.ROOT)) {
                case "http" -> scheme = Scheme.HTTP;
                case "https" -> scheme = Scheme.HTTPS;
                case "h2c" -> scheme = Scheme.H2C;
                default -> errors.add(SCHEME + "\u0000must be http, https or h2c");
            }
        }
        boolean passHostHeader = bool(a, PASS_HOST_HEADER, true, errors);
        Sticky sticky = null;
        if (bool(a, STICKY, false, errors)) {
            String name = a.get(STICKY_NAME);
            if (name != null && !name.matches(Names.COOKIE_NAME)) {
                errors.add(STICKY_NAME + "\u0000not a valid cookie name");
            }
            String sameSite = a.get(STICKY_SAME_SITE);
            if (sameSite != null && !Set.of("none", "lax", "strict").contains(sameSite)) {
                errors.add(STICKY_SAME_SITE + "\u0000must be none, lax or strict");
            }
            Integer maxAge = null;
            if (a.get(STICKY_MAX_AGE) != null) {
                try {
                    maxAge = Integer.parseInt(a.get(STICKY_MAX_AGE).strip());
                } catch (NumberFormatException e) {
                    errors.add(STICKY_MAX_AGE + "\u0000not an integer (seconds)");
                }
            }
            String path = a.get(STICKY_PATH);
            if (path != null && (!path.startsWith("/") || path.chars().anyMatch(c -> c < 0x21 || c == ';'))) {
                errors.add(STICKY_PATH + "\u0000must start with / and contain no spaces, controls or ;");
                path = null;
            }
            sticky = new Sticky(name == null ? "" : name, bool(a, STICKY_SECURE, false, errors),
                    bool(a, STICKY_HTTP_ONLY, false, errors), sameSite, maxAge, path);
        }
        String serversTransport = a.get(SERVERS_TRANSPORT) == null ? null : a.get(SERVERS_TRANSPORT).strip();
        if (serversTransport != null && !serversTransport.matches(Names.DNS_SUBDOMAIN)) {
            errors.add(SERVERS_TRANSPORT + "\u0000must be <namespace>-<name> of a ServersTransport");
            serversTransport = null;
        }
        Strategy strategy = Strategy.WRR;
        String st = a.get(STRATEGY);
        if (st != null) {
            switch (st.strip()) {
                case "wrr" -> strategy = Strategy.WRR;
                case "p2c" -> strategy = Strategy.P2C;
                default -> errors.add(STRATEGY + "\u0000must be wrr or p2c");
            }
        }
        HealthCheck healthCheck = healthCheck(a, errors);
        PassiveHealthCheck passive = passiveHealthCheck(a, errors);
        Integer canaryWeight = canaryWeight(a, errors);
        return new IngressAnnotations(entryPoints, middlewares, priority, tls, scheme, passHostHeader, sticky,
                errors, serversTransport, strategy, healthCheck, passive, canaryWeight);
    }

    /** The active check, validated by {@link HealthChecks} exactly as an IngressRoute service's is. */
    private static HealthCheck healthCheck(Map<String, String> a, List<String> errors) {
        if (HEALTH_CHECK_KEYS.stream().noneMatch(a::containsKey)) {
            return null;
        }
        int before = errors.size();
        Integer port = integer(a, HEALTH_CHECK_PORT, errors);
        Integer status = integer(a, HEALTH_CHECK_STATUS, errors);
        String path = a.get(HEALTH_CHECK_PATH) == null ? null : a.get(HEALTH_CHECK_PATH).strip();
        String hostname = a.get(HEALTH_CHECK_HOSTNAME) == null ? null : a.get(HEALTH_CHECK_HOSTNAME).strip();
        if (hostname != null && (hostname.startsWith("*") || !HostNames.isValidPattern(hostname))) {
            errors.add(HEALTH_CHECK_HOSTNAME + "\u0000not a valid host name (DNS name, no wildcard)");
        }
        String scheme = a.get(HEALTH_CHECK_SCHEME) == null ? null : a.get(HEALTH_CHECK_SCHEME).strip();
        List<String[]> problems = new ArrayList<>();
        HealthCheck check = HealthChecks.translate(new ServiceRef.HealthCheck(path, duration(a, HEALTH_CHECK_INTERVAL),
                duration(a, HEALTH_CHECK_TIMEOUT), scheme, hostname, port, null, null, status), problems);
        problems.forEach(p -> annotationError(p, errors));
        return errors.size() > before ? null : check;
    }

    /** Passive health, validated by {@link HealthChecks} exactly as an IngressRoute service's is. */
    private static PassiveHealthCheck passiveHealthCheck(Map<String, String> a, List<String> errors) {
        if (!a.containsKey(PASSIVE_FAILURE_WINDOW) && !a.containsKey(PASSIVE_MAX_FAILED)) {
            return null;
        }
        int before = errors.size();
        Integer attempts = integer(a, PASSIVE_MAX_FAILED, errors);
        List<String[]> problems = new ArrayList<>();
        PassiveHealthCheck check = HealthChecks.translatePassive(new ServiceRef.PassiveHealthCheck(
                duration(a, PASSIVE_FAILURE_WINDOW), attempts), problems);
        problems.forEach(p -> annotationError(p, errors));
        return errors.size() > before ? null : check;
    }

    /**
     * A problem {@link HealthChecks} reports under an IngressRoute field suffix ({@code .healthCheck.interval}),
     * as an error on the annotation that set it ({@code sluice.io/service.healthcheck.interval}). Its closing
     * "served without it" note is dropped: a bad annotation keeps the whole Ingress out.
     */
    private static void annotationError(String[] problem, List<String> errors) {
        String suffix = problem[0].substring(1);
        if (suffix.indexOf('.') < 0) {
            return;
        }
        errors.add(PREFIX + "service." + suffix.toLowerCase(Locale.ROOT) + "\u0000" + problem[1]);
    }

    private static IntOrString duration(Map<String, String> a, String key) {
        return a.get(key) == null ? null : new IntOrString(a.get(key).strip());
    }

    private static Integer integer(Map<String, String> a, String key, List<String> errors) {
        String v = a.get(key);
        if (v == null) {
            return null;
        }
        try {
            return Integer.parseInt(v.strip());
        } catch (NumberFormatException e) {
            errors.add(key + "\u0000not an integer");
            return null;
        }
    }

    /** Null unless {@code sluice.io/canary} is {@code "true"}; then the weight, required, 0..100. */
    private static Integer canaryWeight(Map<String, String> a, List<String> errors) {
        int before = errors.size();
        if (!bool(a, CANARY, false, errors)) {
            if (a.containsKey(CANARY_WEIGHT) && errors.size() == before) {
                errors.add(CANARY_WEIGHT + "\u0000only allowed with " + CANARY + ": \"true\"");
            }
            return null;
        }
        if (!a.containsKey(CANARY_WEIGHT)) {
            errors.add(CANARY_WEIGHT + "\u0000required on a canary (0..100)");
            return null;
        }
        for (String key : a.keySet()) {
            if (key.startsWith(PREFIX + "router.")) {
                errors.add(key + "\u0000not allowed on a canary: the main Ingress's router (entrypoints,"
                        + " middlewares, priority, TLS) serves the canary's share too");
            }
        }
        Integer weight = integer(a, CANARY_WEIGHT, errors);
        if (weight != null && (weight < 0 || weight > 100)) {
            errors.add(CANARY_WEIGHT + "\u0000must be 0..100");
            return null;
        }
        return weight;
    }

    private static List<String> list(String value) {
        if (value == null) {
            return List.of();
        }
        List<String> items = new ArrayList<>();
        for (String part : value.split(",", -1)) {
            items.add(part.strip());
        }
        return items;
    }

    private static boolean bool(Map<String, String> a, String key, boolean absent, List<String> errors) {
        String v = a.get(key);
        if (v == null) {
            return absent;
        }
        if (v.strip().equals("true") || v.strip().equals("false")) {
            return v.strip().equals("true");
        }
        errors.add(key + "\u0000must be \"true\" or \"false\"");
        return absent;
    }
}
