package io.sluice.proxy.upstream;

import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.InsecureTrustManagerFactory;
import io.sluice.proxy.tls.TlsProvider;
import io.sluice.snapshot.Certificate;
import io.sluice.snapshot.UpstreamTls;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns the upstream TLS settings of {@code https} services into {@link UpstreamTlsPolicy policies}. Policies
 * with the same settings are shared, and kept from one snapshot to the next, so an unchanged service keeps its
 * warm TLS connections and no context is rebuilt. Errors carry a fixed reason, never parser output (which may
 * quote a key). Not thread-safe: the snapshot compiler calls it under its own lock.
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
            policy = new UpstreamTlsPolicy(context(tls, client), tls.serverName(), fingerprint);
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

    private SslContext context(UpstreamTls tls, Certificate client) {
        SslContextBuilder builder = SslContextBuilder.forClient().sslProvider(provider.sslProvider());
        if (tls.insecureSkipVerify()) {
            builder.trustManager(InsecureTrustManagerFactory.INSTANCE).endpointIdentificationAlgorithm(null);
        } else {
            builder.endpointIdentificationAlgorithm("HTTPS");
            if (!tls.rootCas().isEmpty()) {
                List<X509Certificate> roots = new ArrayList<>();
                for (String pem : tls.rootCas()) {
                    roots.addAll(certificates(pem, "root CA"));
                }
                builder.trustManager(roots);
            }
        }
        if (client != null) {
            builder.keyManager(privateKey(client.privateKeyPem()),
                    certificates(client.certificatePem(), "client certificate"));
        }
        try {
            return builder.build();
        } catch (SSLException | RuntimeException e) {
            throw new IllegalArgumentException("TLS client context cannot be built (" + e.getClass().getSimpleName()
                    + ")");
        }
    }

    private static List<X509Certificate> certificates(String pem, String what) {
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) certificate);
            }
        } catch (CertificateException | RuntimeException e) {
            throw new IllegalArgumentException(what + " PEM cannot be parsed");
        }
        if (chain.isEmpty()) {
            throw new IllegalArgumentException(what + " PEM holds no certificate");
        }
        return chain;
    }

    /** PKCS#8, PKCS#1 or SEC1, unencrypted, as {@code kubernetes.io/tls} Secrets hold them. */
    private static PrivateKey privateKey(String pem) {
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair) {
                    return converter.getPrivateKey(((PEMKeyPair) item).getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) item);
                }
            }
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("client private key PEM cannot be parsed");
        }
        throw new IllegalArgumentException("client private key PEM holds no unencrypted private key");
    }

    /** A digest of everything that shapes the handshake; the private key is covered by its certificate. */
    private static String fingerprint(UpstreamTls tls, Certificate client) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            update(digest, String.valueOf(tls.serverName()));
            update(digest, String.valueOf(tls.insecureSkipVerify()));
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
