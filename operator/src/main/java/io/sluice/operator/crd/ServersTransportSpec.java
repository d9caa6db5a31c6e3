package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import java.util.List;

/**
 * The TLS client settings of a {@link ServersTransport}, with Traefik's field names. Only what Sluice's proxy
 * implements is here.
 *
 * @param serverName          name sent in SNI and verified against the backend certificate; null: the
 *                            Kubernetes Service DNS name ({@code <service>.<namespace>.svc})
 * @param insecureSkipVerify  accept any backend certificate (unsafe; for tests and migrations only)
 * @param rootCAsSecrets      Secrets in the same namespace whose {@code ca.crt} (or {@code tls.ca}) the backend
 *                            chain must lead to; empty: the proxy JVM's default trust store
 * @param certificatesSecrets {@code kubernetes.io/tls} Secrets in the same namespace presented to the backend
 *                            (mutual TLS); only one is supported
 * @param forwardingTimeouts  per-service timeouts for every scheme; null keeps the proxy's defaults
 * @param disableHTTP2        offer only {@code http/1.1} to {@code https} backends (Traefik's field); null or
 *                            false: offer {@code h2} too and multiplex requests when the backend selects it
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServersTransportSpec(
        @Pattern("^[A-Za-z0-9.:_-]+$") String serverName,
        Boolean insecureSkipVerify,
        List<String> rootCAsSecrets,
        List<String> certificatesSecrets,
        ForwardingTimeouts forwardingTimeouts,
        Boolean disableHTTP2) {

    /** The TLS settings only, as before forwarding timeouts existed. */
    public ServersTransportSpec(String serverName, Boolean insecureSkipVerify, List<String> rootCAsSecrets,
            List<String> certificatesSecrets) {
        this(serverName, insecureSkipVerify, rootCAsSecrets, certificatesSecrets, null);
    }

    /** Without {@code disableHTTP2}: HTTP/2 is offered to https backends. */
    public ServersTransportSpec(String serverName, Boolean insecureSkipVerify, List<String> rootCAsSecrets,
            List<String> certificatesSecrets, ForwardingTimeouts forwardingTimeouts) {
        this(serverName, insecureSkipVerify, rootCAsSecrets, certificatesSecrets, forwardingTimeouts, null);
    }

    /**
     * Traefik's {@code forwardingTimeouts}: durations like {@code 500ms}, {@code 5s}, {@code 1m}; a missing field
     * keeps the proxy's default ({@code --upstream-connect-timeout}, {@code --upstream-response-header-timeout},
     * {@code --upstream-idle-timeout}).
     *
     * @param dialTimeout           time to connect to a backend
     * @param responseHeaderTimeout time a backend has to send its response head (then 504)
     * @param idleConnTimeout       pooled backend connections idle this long are closed
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ForwardingTimeouts(
            @Pattern(DURATION) String dialTimeout,
            @Pattern(DURATION) String responseHeaderTimeout,
            @Pattern(DURATION) String idleConnTimeout) {
    }

    /** A positive duration: a number with {@code ms}, {@code s}, {@code m} or {@code h}, or a number of seconds. */
    static final String DURATION = "^[0-9]+(ms|s|m|h)?$";
}
