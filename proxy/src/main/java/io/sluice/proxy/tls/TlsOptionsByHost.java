package io.sluice.proxy.tls;

import io.sluice.proxy.router.RouterHosts;
import io.sluice.snapshot.Router;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.TlsOptions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which {@link TlsOptions} a handshake gets, by server name. A handshake comes before any request, so the options
 * a router names apply to the host names its rule matches; a name no TLS router claims gets the {@code default}
 * set (or the proxy's built-in settings when the snapshot has none). When the routers of one host name different
 * sets, the host gets the {@code default} set and a problem names the routers, as Traefik does; the result does
 * not depend on router order. Immutable.
 */
public final class TlsOptionsByHost {
    private final Map<String, TlsOptions> exact;
    private final Map<String, TlsOptions> wildcardByParent;
    private final TlsOptions defaults;
    private final List<String> problems;

    private TlsOptionsByHost(Map<String, TlsOptions> exact, Map<String, TlsOptions> wildcardByParent,
            TlsOptions defaults, List<String> problems) {
        this.exact = Map.copyOf(exact);
        this.wildcardByParent = Map.copyOf(wildcardByParent);
        this.defaults = defaults;
        this.problems = List.copyOf(problems);
    }

    /** Resolves the options of every host of the snapshot's TLS routers listening on {@code entrypoint}. */
    public static TlsOptionsByHost resolve(RoutingSnapshot snapshot, String entrypoint, RouterHosts routerHosts) {
        if (snapshot.tlsOptions().isEmpty()
                && snapshot.routers().stream().noneMatch(r -> r.tls() != null && r.tls().options() != null)) {
            return new TlsOptionsByHost(Map.of(), Map.of(), null, List.of());
        }
        Map<String, TlsOptions> byId = new HashMap<>();
        snapshot.tlsOptions().forEach(o -> byId.put(o.id(), o));
        TlsOptions defaults = byId.get(TlsOptions.DEFAULT_ID);
        List<String> problems = new ArrayList<>();
        // host key ("=" + literal or "*." + parent) -> options id -> routers naming it
        Map<String, Map<String, TreeSet<String>>> claims = new TreeMap<>();
        for (Router router : snapshot.routers()) {
            if (router.tls() == null
                    || !(router.entryPoints().isEmpty() || router.entryPoints().contains(entrypoint))) {
                continue;
            }
            String optionsId = router.tls().options() == null ? TlsOptions.DEFAULT_ID : router.tls().options();
            if (!optionsId.equals(TlsOptions.DEFAULT_ID) && !byId.containsKey(optionsId)) {
                problems.add("router " + router.id() + ": unknown TLS options \"" + optionsId
                        + "\"; using the default options");
                optionsId = TlsOptions.DEFAULT_ID;
            }
            var hosts = routerHosts.of(router.match());
            if (hosts.isEmpty()) {
                continue;
            }
            for (String host : hosts.get().literalHosts()) {
                claim(claims, "=" + normalize(host), optionsId, router.id());
            }
            for (String parent : hosts.get().wildcardDomains()) {
                claim(claims, "*." + normalize(parent), optionsId, router.id());
            }
        }
        Map<String, TlsOptions> exact = new HashMap<>();
        Map<String, TlsOptions> wildcards = new HashMap<>();
        for (Map.Entry<String, Map<String, TreeSet<String>>> claim : claims.entrySet()) {
            String key = claim.getKey();
            String name = key.startsWith("=") ? key.substring(1) : key.substring(2);
            Map<String, TreeSet<String>> sets = claim.getValue();
            String chosen = sets.size() == 1 ? sets.keySet().iterator().next() : TlsOptions.DEFAULT_ID;
            if (sets.size() > 1) {
                problems.add("host " + (key.startsWith("=") ? name : "*." + name)
                        + ": routers name different TLS options " + sets + "; using the default options");
            }
            TlsOptions options = chosen.equals(TlsOptions.DEFAULT_ID) ? defaults : byId.get(chosen);
            if (options != null) {
                (key.startsWith("=") ? exact : wildcards).put(name, options);
            }
        }
        return new TlsOptionsByHost(exact, wildcards, defaults, problems);
    }

    private static void claim(Map<String, Map<String, TreeSet<String>>> claims, String hostKey, String optionsId,
            String routerId) {
        claims.computeIfAbsent(hostKey, k -> new TreeMap<>()).computeIfAbsent(optionsId, k -> new TreeSet<>())
                .add(routerId);
    }

    static String normalize(String serverName) {
        String name = serverName.toLowerCase(Locale.ROOT);
        return name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
    }

    /** The options for a server name (null: none sent); null means the proxy's built-in settings. */
    public TlsOptions forName(String serverName) {
        if (serverName == null || serverName.isEmpty()) {
            return defaults;
        }
        String name = normalize(serverName);
        TlsOptions options = exact.get(name);
        if (options != null) {
            return options;
        }
        int dot = name.indexOf('.');
        if (dot > 0) {
            options = wildcardByParent.get(name.substring(dot + 1));
            if (options != null) {
                return options;
            }
        }
        return defaults;
    }

    /** Every options set some server name can get. */
    public List<TlsOptions> inUse() {
        Map<String, TlsOptions> all = new TreeMap<>();
        exact.values().forEach(o -> all.put(o.id(), o));
        wildcardByParent.values().forEach(o -> all.put(o.id(), o));
        if (defaults != null) {
            all.put(defaults.id(), defaults);
        }
        return List.copyOf(all.values());
    }

    /** Unknown option sets named by routers, and hosts whose routers disagree. */
    public List<String> problems() {
        return problems;
    }

    /** True when every handshake gets the proxy's built-in settings. */
    public boolean isEmpty() {
        return inUse().isEmpty();
    }

    @Override
    public String toString() {
        return "TlsOptionsByHost[hosts=" + (exact.size() + wildcardByParent.size()) + ", default="
                + (defaults == null ? "built-in" : Objects.toString(defaults.id())) + "]";
    }
}
