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
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ServersTransportSpec(
        @Pattern("^[A-Za-z0-9.:_-]+$") String serverName,
        Boolean insecureSkipVerify,
        List<String> rootCAsSecrets,
        List<String> certificatesSecrets) {
}
