package io.sluice.operator.translate;

import io.fabric8.kubernetes.api.model.Secret;
import io.sluice.operator.crd.ServersTransport;
import io.sluice.operator.crd.ServersTransportSpec;
import io.sluice.snapshot.Scheme;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.Timeouts;
import io.sluice.snapshot.UpstreamTls;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * Gives each {@code https} load balancer, and each cleartext one whose health check has {@code scheme: https}
 * (the probe speaks TLS with the transport's settings, as in Traefik), its upstream TLS settings: those of the ServersTransport its route or
 * Ingress names, else verification against the proxy's default trust store. The server name defaults to the
 * Kubernetes Service DNS name ({@code <service>.<namespace>.svc}). A transport that is missing, or whose Secrets
 * are missing or unusable, fails closed: the service keeps no endpoints (requests get 503) and the problem is
 * reported on the referring object. Messages name Secrets, never their contents. {@code disableHTTP2} keeps
 * https backends on HTTP/1.1; other schemes ignore it (h2c is HTTP/2 by definition, http never negotiates).
 */
final class ServersTransports {
    private final Map<String, ServersTransport> byNamespaceAndName = new HashMap<>();
    private final Map<String, ServersTransport> byTraefikName = new HashMap<>();
    private final SecretLookup secrets;
    private final Tls tls;
    private final boolean allowCrossNamespace;
    private final ReadRecorder reads;

    ServersTransports(List<ServersTransport> transports, SecretLookup secrets, Tls tls,
            boolean allowCrossNamespace) {
        this(transports, secrets, tls, allowCrossNamespace, new ReadRecorder());
    }

    /** @param reads told when a transport is looked up (as {@link InputVersions#ALL_SERVERS_TRANSPORTS}) */
    ServersTransports(List<ServersTransport> transports, SecretLookup secrets, Tls tls,
            boolean allowCrossNamespace, ReadRecorder reads) {
        this.reads = reads;
        for (ServersTransport t : transports) {
            String ns = t.getMetadata().getNamespace();
            byNamespaceAndName.put(ns + "/" + t.getMetadata().getName(), t);
            byTraefikName.put(ns + "-" + t.getMetadata().getName(), t);
        }
        this.secrets = secrets;
        this.tls = tls;
        this.allowCrossNamespace = allowCrossNamespace;
    }

    /**
     * {@code lb} with the transport's forwarding timeouts (any scheme), and with its upstream TLS settings when
     * its scheme is https.
     *
     * @param namespace   the referring object's namespace, where a bare transport name is looked up
     * @param reference   the transport: a name in {@code namespace}, or {@code <namespace>-<name>}; null for none
     * @param serviceHost the Kubernetes Service DNS name, the default server name
     * @param report      takes a problem's field and message (the caller reports it on {@code owner})
     */
    Service.LoadBalancer apply(Service.LoadBalancer lb, String namespace, String reference, String serviceHost,
            ObjectRef owner, String field, BiConsumer<String, String> report, SnapshotDraft draft) {
        boolean probeOnly = lb.scheme() != Scheme.HTTPS && lb.healthCheck() != null
                && "https".equals(lb.healthCheck().scheme());
        if (lb.scheme() != Scheme.HTTPS && !probeOnly) {
            return withTimeouts(lb, namespace, reference, field, report);
        }
        if (reference == null || reference.isEmpty()) {
            return with(lb, new UpstreamTls(serviceHost, false, List.of(), null));
        }
        ServersTransport transport = find(namespace, reference);
        if (transport == null) {
            transport = byTraefikName.get(reference);
        }
        if (transport == null) {
            return failed(lb, null, probeOnly, field, "ServersTransport " + reference + " not found in namespace "
                    + namespace + " (nor as <namespace>-<name>)", report);
        }
        String transportNs = transport.getMetadata().getNamespace();
        String name = "ServersTransport " + transportNs + "/" + transport.getMetadata().getName();
        if (!transportNs.equals(namespace) && !allowCrossNamespace) {
            return failed(lb, null, probeOnly, field, name + " is in another namespace and cross-namespace"
                    + " references are not allowed", report);
        }
        ServersTransportSpec spec = transport.getSpec();
        if (spec == null) {
            return failed(lb, null, probeOnly, field, name + " has no spec", report);
        }
        List<String> roots = new ArrayList<>();
        for (String secretName : spec.rootCAsSecrets() == null ? List.<String>of() : spec.rootCAsSecrets()) {
            String pem = rootCa(transportNs, secretName);
            if (pem == null) {
                return failed(lb, spec, probeOnly, field, name + ": root CA Secret " + transportNs + "/" + secretName
                        + " not found or has no PEM ca.crt or tls.ca", report);
            }
            roots.add(pem);
        }
        String client = null;
        List<String> certificates = spec.certificatesSecrets() == null ? List.of() : spec.certificatesSecrets();
        if (certificates.size() > 1) {
            return failed(lb, spec, probeOnly, field, name + ": only one certificatesSecrets entry is supported",
                    report);
        }
        if (certificates.size() == 1) {
            client = tls.certificate(transportNs, certificates.get(0), owner, field, draft);
            if (client == null) {
                return failed(lb, spec, probeOnly, field, name + ": client certificate unusable", report);
            }
        }
        String serverName = spec.serverName() == null || spec.serverName().isEmpty() ? serviceHost
                : spec.serverName();
        Service.LoadBalancer timed = timeouts(lb, spec.forwardingTimeouts(), field, report);
        return with(timed, new UpstreamTls(serverName, Boolean.TRUE.equals(spec.insecureSkipVerify()), roots,
                client, Boolean.TRUE.equals(spec.disableHTTP2())));
    }

    private ServersTransport find(String namespace, String reference) {
        reads.read(InputVersions.ALL_SERVERS_TRANSPORTS);
        ServersTransport transport = byNamespaceAndName.get(namespace + "/" + reference);
        return transport != null ? transport : byTraefikName.get(reference);
    }

    /**
     * A plain-text service only takes the transport's timeouts. A missing or refused transport is reported but
     * does not fail the service closed: no TLS check depends on it.
     */
    private Service.LoadBalancer withTimeouts(Service.LoadBalancer lb, String namespace, String reference,
            String field, BiConsumer<String, String> report) {
        if (reference == null || reference.isEmpty()) {
            return lb;
        }
        ServersTransport transport = find(namespace, reference);
        if (transport == null) {
            report.accept(field, "ServersTransport " + reference + " not found in namespace " + namespace
                    + "; served with the proxy's default timeouts");
            return lb;
        }
        if (!transport.getMetadata().getNamespace().equals(namespace) && !allowCrossNamespace) {
            report.accept(field, "ServersTransport " + transport.getMetadata().getNamespace() + "/"
                    + transport.getMetadata().getName() + " is in another namespace and cross-namespace references"
                    + " are not allowed; served with the proxy's default timeouts");
            return lb;
        }
        return transport.getSpec() == null ? lb : timeouts(lb, transport.getSpec().forwardingTimeouts(), field, report);
    }

    private static Service.LoadBalancer timeouts(Service.LoadBalancer lb, ServersTransportSpec.ForwardingTimeouts t,
            String field, BiConsumer<String, String> report) {
        if (t == null) {
            return lb;
        }
        Long connect = duration(t.dialTimeout(), field + ".forwardingTimeouts.dialTimeout", report);
        Long header = duration(t.responseHeaderTimeout(), field + ".forwardingTimeouts.responseHeaderTimeout", report);
        Long idle = duration(t.idleConnTimeout(), field + ".forwardingTimeouts.idleConnTimeout", report);
        if (connect == null && header == null && idle == null) {
            return lb;
        }
        return new Service.LoadBalancer(lb.id(), lb.endpoints(), lb.scheme(), lb.passHostHeader(), lb.strategy(),
                lb.sticky(), lb.healthCheck(), new Timeouts(connect, header, idle), lb.passiveHealthCheck(),
                lb.tls());
    }

    /** Milliseconds of a positive duration, or null (reported) when it is not one. */
    private static Long duration(String text, String field, BiConsumer<String, String> report) {
        if (text == null) {
            return null;
        }
        long millis = Durations.millis(text);
        if (millis <= 0) {
            report.accept(field, "\"" + text + "\" is not a positive duration (like 500ms, 5s, 1m); the proxy default"
                    + " is used");
            return null;
        }
        return millis;
    }

    private String rootCa(String namespace, String secretName) {
        Secret secret = secrets.find(namespace, secretName);
        if (secret == null) {
            return null;
        }
        for (String key : List.of("ca.crt", "tls.ca")) {
            String pem = secrets.value(secret, key);
            if (pem != null && pem.contains("-----BEGIN CERTIFICATE-----")) {
                return pem;
            }
        }
        return null;
    }

    private static Service.LoadBalancer with(Service.LoadBalancer lb, UpstreamTls upstreamTls) {
        return new Service.LoadBalancer(lb.id(), lb.endpoints(), lb.scheme(), lb.passHostHeader(), lb.strategy(),
                lb.sticky(), lb.healthCheck(), lb.timeouts(), lb.passiveHealthCheck(), upstreamTls);
    }

    /**
     * No endpoints (503), no TLS settings to act on: an https service fails closed. A cleartext service whose
     * health check alone needed the TLS settings is served without the check (and with the transport's timeouts
     * when {@code spec} is known).
     */
    private static Service.LoadBalancer failed(Service.LoadBalancer lb, ServersTransportSpec spec, boolean probeOnly,
            String field, String message, BiConsumer<String, String> report) {
        if (probeOnly) {
            report.accept(field, message + "; the https health check is not applied, the service is served"
                    + " without it");
            Service.LoadBalancer timed = spec == null ? lb : timeouts(lb, spec.forwardingTimeouts(), field, report);
            return new Service.LoadBalancer(timed.id(), timed.endpoints(), timed.scheme(), timed.passHostHeader(),
                    timed.strategy(), timed.sticky(), null, timed.timeouts(), timed.passiveHealthCheck(), null);
        }
        report.accept(field, message + "; requests get 503");
        return new Service.LoadBalancer(lb.id(), List.of(), lb.scheme(), lb.passHostHeader(), lb.strategy(),
                lb.sticky(), lb.healthCheck(), lb.timeouts(), lb.passiveHealthCheck(), null);
    }
}
