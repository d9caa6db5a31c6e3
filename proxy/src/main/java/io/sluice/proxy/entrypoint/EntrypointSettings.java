package io.sluice.proxy.entrypoint;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * One named entrypoint: where it listens and the limits it enforces on clients.
 *
 * @param name                  entrypoint name routers refer to ({@code web})
 * @param bindAddress           address to bind ({@code 0.0.0.0})
 * @param port                  port; 0 picks a free one (tests)
 * @param maxInitialLineLength  request line bytes; longer gets 414 (default 8 KiB)
 * @param maxHeaderSize         header bytes; more gets 431 (default 16 KiB)
 * @param maxHeaderCount        header fields; more gets 431 (default 100)
 * @param headerReadTimeout     a request head must be complete this long after its first byte (or after
 *                              the connection opened); else 408 and close: slowloris (default 10 s)
 * @param idleTimeout           a keep-alive connection with no request this long is closed (default 60 s)
 * @param maxConnections        open client connections; more are closed on accept (default 10000)
 * @param trustedProxies        CIDRs whose X-Forwarded-* headers are kept (appended to for X-Forwarded-For)
 * @param rejectEncodedSlash    answer 400 to paths with {@code %2F} or {@code %5C} (default true)
 */
public record EntrypointSettings(
        String name,
        String bindAddress,
        int port,
        int maxInitialLineLength,
        int maxHeaderSize,
        int maxHeaderCount,
        Duration headerReadTimeout,
        Duration idleTimeout,
        int maxConnections,
        List<String> trustedProxies,
        boolean rejectEncodedSlash) {

    public EntrypointSettings {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        Objects.requireNonNull(headerReadTimeout, "headerReadTimeout");
        Objects.requireNonNull(idleTimeout, "idleTimeout");
        trustedProxies = trustedProxies == null ? List.of() : List.copyOf(trustedProxies);
    }

    /** The defaults above for {@code name} on {@code port}, all addresses. */
    public static EntrypointSettings defaults(String name, int port) {
        return new EntrypointSettings(name, "0.0.0.0", port, 8192, 16384, 100, Duration.ofSeconds(10),
                Duration.ofSeconds(60), 10000,
                List.of(), true);
    }

    public EntrypointSettings withBindAddress(String address) {
        return new EntrypointSettings(name, address, port, maxInitialLineLength, maxHeaderSize, maxHeaderCount,
                headerReadTimeout, idleTimeout, maxConnections, trustedProxies, rejectEncodedSlash);
    }

    public EntrypointSettings withTrustedProxies(List<String> cidrs) {
        return new EntrypointSettings(name, bindAddress, port, maxInitialLineLength, maxHeaderSize, maxHeaderCount,
                headerReadTimeout, idleTimeout, maxConnections, cidrs, rejectEncodedSlash);
    }

    public EntrypointSettings withHeaderReadTimeout(Duration timeout) {
        return new EntrypointSettings(name, bindAddress, port, maxInitialLineLength, maxHeaderSize, maxHeaderCount,
                timeout, idleTimeout, maxConnections, trustedProxies, rejectEncodedSlash);
    }
}
