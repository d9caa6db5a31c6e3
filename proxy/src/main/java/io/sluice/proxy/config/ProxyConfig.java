package io.sluice.proxy.config;

import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The proxy's settings, resolved from defaults, the YAML file and the command line (in that order of
 * precedence, last wins); see {@code docs/proxy-config.md}. Built by {@link ProxyConfigLoader}.
 */
public record ProxyConfig(
        Listeners listeners,
        Push push,
        SnapshotFiles snapshotFiles,
        Drain drain,
        ClientLimits client,
        UpstreamLimits upstream,
        Tls tls) {

    public ProxyConfig {
        Objects.requireNonNull(listeners, "listeners");
        Objects.requireNonNull(push, "push");
        Objects.requireNonNull(snapshotFiles, "snapshotFiles");
        Objects.requireNonNull(drain, "drain");
        Objects.requireNonNull(client, "client");
        Objects.requireNonNull(upstream, "upstream");
        tls = tls == null ? Tls.DEFAULTS : tls;
    }

    /** Settings with the built-in TLS defaults (self-signed default certificate, provider auto, no redirect). */
    public ProxyConfig(Listeners listeners, Push push, SnapshotFiles snapshotFiles, Drain drain, ClientLimits client,
            UpstreamLimits upstream) {
        this(listeners, push, snapshotFiles, drain, client, upstream, Tls.DEFAULTS);
    }

    /**
     * The {@code websecure} entrypoint's TLS and the {@code web} entrypoint's redirect to it.
     *
     * @param defaultCertificateFile PEM chain of the default certificate; null (with {@code defaultKeyFile})
     *                               for a self-signed one generated at start
     * @param defaultKeyFile         its PEM private key
     * @param provider               {@code auto}, {@code openssl} or {@code jdk}
     * @param redirectToHttpsPort    0: {@code web} proxies as usual; else the HTTPS port {@code web} redirects to
     */
    public record Tls(Path defaultCertificateFile, Path defaultKeyFile, String provider, int redirectToHttpsPort) {
        public static final Tls DEFAULTS = new Tls(null, null, "auto", 0);

        public Tls {
            Objects.requireNonNull(provider, "provider");
        }
    }

    /** Where the four listeners bind. */
    public record Listeners(InetAddress bindAddress, int webPort, int websecurePort, int healthPort, int pushPort) {
    }

    /**
     * Push port security; each path is null when not configured.
     *
     * @param tokenFile      bearer token file
     * @param tlsCertificate server certificate chain (with {@code tlsKey}, turns TLS on)
     * @param clientCa       turns client-certificate verification on
     */
    public record Push(Path tokenFile, Path tlsCertificate, Path tlsKey, Path clientCa, int maxBodyBytes) {
        public boolean tls() {
            return tlsCertificate != null;
        }
    }

    /** @param lastKnownGood null for none; @param startupSnapshot null for none */
    public record SnapshotFiles(Path lastKnownGood, Path startupSnapshot) {
    }

    public record Drain(Duration delay, Duration timeout) {
    }

    /**
     * Limits on client connections and requests; {@code maxConnections} 0 means no limit. {@code eventLoops} is
     * the number of event loop threads per entrypoint, 0 for one per available processor (see
     * {@link #eventLoopThreads()}).
     */
    public record ClientLimits(int maxConnections, int maxHeaderSize, int maxInitialLine, int maxHeaders,
            Duration headerReadTimeout, Duration idleTimeout, int h2MaxConcurrentStreams,
            List<CidrBlock> trustedProxies, boolean accessLog, int eventLoops) {
        public ClientLimits {
            trustedProxies = List.copyOf(trustedProxies);
            if (eventLoops < 0) {
                throw new IllegalArgumentException("eventLoops must be 0 (one per processor) or positive");
            }
        }

        /** Limits with one event loop per available processor. */
        public ClientLimits(int maxConnections, int maxHeaderSize, int maxInitialLine, int maxHeaders,
                Duration headerReadTimeout, Duration idleTimeout, int h2MaxConcurrentStreams,
                List<CidrBlock> trustedProxies, boolean accessLog) {
            this(maxConnections, maxHeaderSize, maxInitialLine, maxHeaders, headerReadTimeout, idleTimeout,
                    h2MaxConcurrentStreams, trustedProxies, accessLog, 0);
        }

        /**
         * Event loop threads per entrypoint: {@code eventLoops}, or when 0 one per processor the JVM may use
         * ({@code -XX:ActiveProcessorCount} and container CPU limits included). More loops than cores only adds
         * context switches (Netty's own default is two per core; see docs/benchmarks.md for what was measured).
         */
        public int eventLoopThreads() {
            return eventLoops > 0 ? eventLoops : Runtime.getRuntime().availableProcessors();
        }
    }

    /**
     * How the proxy talks to backends. {@code maxQueuedPerEndpoint} requests may wait up to {@code queueTimeout}
     * for a connection to an endpoint at {@code maxConnectionsPerEndpoint}; 0 answers 503 at once.
     */
    public record UpstreamLimits(Duration connectTimeout, Duration responseHeaderTimeout, Duration idleTimeout,
            int maxConnectionsPerEndpoint, int maxQueuedPerEndpoint, Duration queueTimeout) {
        public UpstreamLimits {
            Objects.requireNonNull(queueTimeout, "queueTimeout");
        }

        /** Limits with the default queue (1024 requests per endpoint, 10 s). */
        public UpstreamLimits(Duration connectTimeout, Duration responseHeaderTimeout, Duration idleTimeout,
                int maxConnectionsPerEndpoint) {
            this(connectTimeout, responseHeaderTimeout, idleTimeout, maxConnectionsPerEndpoint, 1024,
                    Duration.ofSeconds(10));
        }
    }
}
