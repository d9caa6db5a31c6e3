package io.sluice.proxy.upstream;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.proxy.tls.CertificateProblem;
import io.sluice.proxy.tls.InvalidCertificateException;
import io.sluice.proxy.tls.PemDecoder;
import io.sluice.proxy.tls.TlsProvider;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.UpstreamTls;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the upstream TLS settings of {@code https} services into {@link UpstreamTlsPolicy policies}. Policies
 * with the same settings are shared, and kept from one snapshot to the next, so an unchanged service keeps its
 * warm TLS connections and no context is rebuilt. PEM is read by the same {@link PemDecoder} as the proxy's own
 * certificates; errors carry its fixed reason, never parser output (which may quote a key). Not thread-safe: the
 * snapshot compiler calls it under its own lock.
 */
public final class UpstreamTlsCompiler {
    private static final Logger log = LoggerFactory.getLogger(UpstreamTlsCompiler.class);

    private final TlsProvider provider;
    private Map<String, UpstreamTlsPolicy> current = new HashMap<>();
    private Map<String, UpstreamTlsPolicy> next = new HashMap<>();
    private final Set<String> warnedInsecure = new HashSet<>();

    public UpstreamTlsCompiler(TlsProvider provider) {
        this.provider = provider;
    }

    /**
     * The policy for one service; {@code spec} null means verify against the JVM trust store and the endpoint
     * address. Throws {@link IllegalArgumentException} with a reason that quotes no input.
     */
    public UpstreamTlsPolicy compile(String serviceId, UpstreamTls spec, Map<String, Certificate> certificates) {
        UpstreamTls tls = spec == null ? new UpstreamTls(null, false, List.of(), null) : spec;
        Certificate client = null;
        if (tls.clientCertificate() != null) {
            client = certificates.get(tls.clientCertificate());
            if (client == null) {
                throw new IllegalArgumentException("unknown client certificate " + tls.clientCertificate());
            }
        }
        if (tls.insecureSkipVerify() && warnedInsecure.add(serviceId)) {
            log.warn("service {}: upstream TLS certificates are NOT verified (insecureSkipVerify)", serviceId);
        }
        String fingerprint = fingerprint(tls, client);
        UpstreamTlsPolicy policy = next.get(fingerprint);
        if (policy == null) {
            policy = current.get(fingerprint);
        }
        if (policy == null) {
            policy = new UpstreamTlsPolicy(context(tls, client, ApplicationProtocolNames.HTTP_1_1),
                    tls.disableHttp2() ? null : context(tls, client, ApplicationProtocolNames.HTTP_2,
                            ApplicationProtocolNames.HTTP_1_1),
                    tls.serverName(), fingerprint);
        }
        next.put(fingerprint, policy);
        return policy;
    }

    /** The policies of the snapshot just compiled become the ones to reuse; the others are dropped. */
    public void commit() {
        current = next;
        next = new HashMap<>();
    }

    /**
     * A compile that rebuilt only some services succeeded: the policies it prepared join the ones to reuse, and
     * those of the services it did not rebuild stay.
     */
    public void commitAlongside() {
        current.putAll(next);
        next = new HashMap<>();
    }

    /** Forgets what a failed compile prepared. */
    public void abandon() {
        next = new HashMap<>();
    }

    /** The context offering {@code protocols} in ALPN, in order of preference. */
    private SslContext context(UpstreamTls tls, Certificate client, String... protocols) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider.sslProvider())
                .applicationProtocolConfig(new ApplicationProtocolConfig(ApplicationProtocolConfig.Protocol.ALPN,
                        ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                        ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT, protocols));
        if (tls.insecureSkipVerify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (!tls.rootCas().isEmpty()) {
                List<X509Certificate> roots = new ArrayList<>();
                for (String pem : tls.rootCas()) {
                    roots.addAll(decode(() -> new PemDecoder("root CA").certificates(pem == null ? "" : pem)));
                }
                builder.trustManager(roots);
            }
        }
        if (client != null) {
            PemDecoder pem = new PemDecoder("client certificate " + client.id());
            builder.keyManager(decode(() -> pem.privateKey(client.privateKeyPem())),
                    decode(() -> pem.certificates(client.certificatePem())));
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("TLS client context cannot be built (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    /** A PEM decoding step whose failure becomes the decoder's fixed reason, e.g. "root CA: ... cannot be parsed". */
    private static <T> T decode(PemStep<T> step) {
        try {
            return step.run();
        } catch (InvalidCertificateException e) {
            CertificateProblem problem = e.problem();
            throw new IllegalArgumentException(problem.certificateId() + ": " + problem.reason());
        }
    }

    /** One call into {@link PemDecoder}. */
    @FunctionalInterface
    private interface PemStep<T> {
        T run() throws InvalidCertificateException;
    }

    /** A digest of everything that shapes the handshake; the private key is covered by its certificate. */
    private static String fingerprint(UpstreamTls tls, Certificate client) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, String.valueOf(tls.serverName()));
            update(digest, String.valueOf(tls.insecureSkipVerify()));
            update(digest, tls.disableHttp2() ? "http/1.1" : "h2,http/1.1");
            for (String pem : tls.rootCas()) {
                update(digest, pem);
            }
            update(digest, client == null ? "-" : client.id());
            update(digest, client == null ? "-" : client.certificatePem());
            return HexFormat.of().formatHex(digest.digest(), 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(MessageDigest digest, String value) {
        digest.update(value.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
    }
}
