package io.sluice.proxy.passthrough;

import com.google.re2j.Pattern;
import io.sluice.snapshot.TcpRouter;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Whether a TLS server name is taken by one TCP router: any of its {@code HostSNI} names (exact, case-insensitive;
 * {@code *} takes every connection, even one without SNI) or {@code HostSNIRegexp} expressions (found anywhere in
 * the name, as Go's {@code MatchString}; anchor them with {@code ^...$}). Immutable and thread-safe.
 */
final class ServerNameMatcher {
    private final boolean any;
    private final Set<String> names;
    private final List<Pattern> patterns;

    ServerNameMatcher(TcpRouter router) {
        this.any = router.hostSni().contains(TcpRouter.ANY_HOST);
        this.names = Set.copyOf(router.hostSni().stream().map(n -> n.toLowerCase(Locale.ROOT)).toList());
        this.patterns = router.hostSniRegexp().stream().map(Pattern::compile).toList();
    }

    /** @param serverName the ClientHello's server name, or null when it sent none */
    boolean matches(String serverName) {
        if (any) {
            return true;
        }
        if (serverName == null) {
            return false;
        }
        String name = serverName.toLowerCase(Locale.ROOT);
        if (names.contains(name)) {
            return true;
        }
        for (Pattern pattern : patterns) {
            if (pattern.matcher(name).find()) {
                return true;
            }
        }
        return false;
    }
}
