package io.sluice.operator.translate;

import io.sluice.operator.crd.Names;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Sticky;
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
 */
record IngressAnnotations(
        List<String> entryPoints, List<String> middlewares, int priority, boolean tls, Scheme scheme,
        boolean passHostHeader, Sticky sticky, List<String> errors, String serversTransport) {

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
    private static final Set<String> KNOWN = Set.of(ENTRYPOINTS, MIDDLEWARES, PRIORITY, TLS, SCHEME,
            PASS_HOST_HEADER, STICKY, STICKY_NAME, STICKY_SECURE, STICKY_HTTP_ONLY, STICKY_SAME_SITE, STICKY_MAX_AGE,
            STICKY_PATH, IngressTranslator.TLS_OPTIONS_ANNOTATION, SERVERS_TRANSPORT);

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
        return new IngressAnnotations(entryPoints, middlewares, priority, tls, scheme, passHostHeader, sticky,
                errors, serversTransport);
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
