package io.sluice.proxy.config;

/**
 * Every setting of the proxy, with its flag name (also its key in the YAML file), default and help text. One
 * table, so the parser, {@code --help} and the docs cannot drift apart.
 */
public enum ProxyOption {
    WEB_PORT("web-port", "8080", "port", "plain HTTP entrypoint (web)"),
    WEBSECURE_PORT("websecure-port", "8443", "port", "HTTPS entrypoint (websecure)"),
    HEALTH_PORT("health-port", "9000", "port", "health, readiness, metrics and debug port (read-only)"),
    PUSH_PORT("push-port", "9443", "port", "snapshot push port (operator only)"),
    BIND_ADDRESS("bind-address", "0.0.0.0", "address", "address every listener binds to"),
    PUSH_TOKEN_FILE("push-token-file", null, "file", "file holding the push bearer token (re-read on change)"),
    PUSH_TLS_CERT("push-tls-cert", null, "file", "push port certificate chain, PEM"),
    PUSH_TLS_KEY("push-tls-key", null, "file", "push port private key, PEM (PKCS#8)"),
    PUSH_CLIENT_CA("push-client-ca", null, "file", "CA bundle, PEM; push clients must present a certificate from it"),
    PUSH_MAX_BODY_SIZE("push-max-body-size", "64MiB", "size", "largest snapshot document accepted (413 above)"),
    LAST_KNOWN_GOOD("last-known-good", null, "file", "where to save the last applied snapshot and load it at start"),
    SNAPSHOT_FILE("snapshot-file", null, "file", "snapshot JSON to apply at start (standalone use)"),
    DRAIN_DELAY("drain-delay", "5s", "duration", "after SIGTERM, keep accepting this long with readiness failing"),
    DRAIN_TIMEOUT("drain-timeout", "30s", "duration", "then wait at most this long for requests in flight"),
    TRUSTED_PROXIES("trusted-proxies", "", "cidrs", "CIDR blocks whose X-Forwarded-* headers are believed"),
    ACCESS_LOG("access-log", "true", "boolean", "write one access log line per request"),
    MAX_CONNECTIONS("max-connections", "0", "count", "client connections per entrypoint; 0 means no limit"),
    MAX_HEADER_SIZE("max-header-size", "16KiB", "size", "largest request header block (431 above)"),
    MAX_INITIAL_LINE("max-initial-line", "8KiB", "size", "longest request line (414 above)"),
    MAX_HEADERS("max-headers", "100", "count", "most request header fields (431 above)"),
    HEADER_READ_TIMEOUT("header-read-timeout", "10s", "duration", "time a client has to send a request head"),
    IDLE_TIMEOUT("idle-timeout", "60s", "duration", "close client connections idle this long"),
    UPSTREAM_CONNECT_TIMEOUT("upstream-connect-timeout", "5s", "duration", "time to connect to a backend"),
    UPSTREAM_RESPONSE_HEADER_TIMEOUT("upstream-response-header-timeout", "60s", "duration",
            "time a backend has to send its response head"),
    UPSTREAM_IDLE_TIMEOUT("upstream-idle-timeout", "90s", "duration", "close pooled backend connections idle this long"),
    MAX_CONNECTIONS_PER_ENDPOINT("max-connections-per-endpoint", "1024", "count",
            "open connections to one backend endpoint"),
    MAX_QUEUED_PER_ENDPOINT("max-queued-per-endpoint", "1024", "count",
            "requests waiting for a connection to an endpoint at its connection limit; 0: 503 at once"),
    UPSTREAM_QUEUE_TIMEOUT("upstream-queue-timeout", "10s", "duration",
            "longest wait in that queue before the request gets 503"),
    H2_MAX_CONCURRENT_STREAMS("h2-max-concurrent-streams", "128", "count",
            "HTTP/2 streams a client may open at once on one connection"),
    EVENT_LOOPS("event-loops", "0", "count",
            "event loop threads per entrypoint; 0 means one per available processor"),
    DEFAULT_CERTIFICATE_FILE("default-certificate-file", null, "file",
            "PEM certificate chain served on websecure when no other certificate covers the name"),
    DEFAULT_KEY_FILE("default-key-file", null, "file", "PEM private key of --default-certificate-file"),
    TLS_PROVIDER("tls-provider", "auto", "auto|openssl|jdk",
            "TLS implementation of websecure: auto picks OpenSSL (netty-tcnative) when it loads, else the JDK"),
    REDIRECT_WEB_TO_HTTPS("redirect-web-to-https", null, "port",
            "answer every request on web with a permanent redirect to https on this port (443: no port in URL)");

    private final String key;
    private final String defaultValue;
    private final String kind;
    private final String help;

    ProxyOption(String key, String defaultValue, String kind, String help) {
        this.key = key;
        this.defaultValue = defaultValue;
        this.kind = kind;
        this.help = help;
    }

    /** The YAML key; the flag is {@code --} + key. */
    public String key() {
        return key;
    }

    public String flag() {
        return "--" + key;
    }

    /** Null when the setting has no default (it is then off). */
    public String defaultValue() {
        return defaultValue;
    }

    public String kind() {
        return kind;
    }

    public String help() {
        return help;
    }
}
