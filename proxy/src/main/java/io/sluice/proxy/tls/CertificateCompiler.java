package io.sluice.proxy.tls;

import io.netty.handler.codec.http2.Http2SecurityUtil;
import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.ApplicationProtocolNames;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SupportedCipherSuiteFilter;
import io.sluice.snapshot.Certificate;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.Signature;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import javax.net.ssl.SSLException;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

/**
 * Turns the snapshot's PEM certificates into Netty server contexts, off the event loops. Each certificate is
 * checked on its own (parsable chain and key, key matching the leaf, leaf valid now); a broken one becomes a
 * {@link CertificateProblem} and the others still compile. Contexts offer ALPN {@code h2} then {@code http/1.1},
 * TLS 1.3 and 1.2, with the HTTP/2 cipher list (RFC 7540 section 9.2).
 */
public final class CertificateCompiler {
    private static final int SAN_DNS_NAME = 2;
    private static final byte[] PROBE = "sluice key match probe".getBytes(StandardCharsets.US_ASCII);

    private final TlsProvider provider;
    private final Clock clock;
    private final List<String> alpnProtocols;

    /** Contexts offering ALPN {@code h2} then {@code http/1.1}. */
    public CertificateCompiler(TlsProvider provider, Clock clock) {
        this(provider, clock, List.of(ApplicationProtocolNames.HTTP_2, ApplicationProtocolNames.HTTP_1_1));
    }

    /**
     * @param alpnProtocols the protocols offered by ALPN, in preference order (an entrypoint that speaks only
     *                      HTTP/1.1 must not offer {@code h2})
     */
    public CertificateCompiler(TlsProvider provider, Clock clock, List<String> alpnProtocols) {
        this.provider = Objects.requireNonNull(provider, "provider");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.alpnProtocols = List.copyOf(alpnProtocols);
    }

    public TlsProvider provider() {
        return provider;
    }

    /** The protocols the default contexts offer by ALPN, for contexts built with other TLS options. */
    public List<String> alpnProtocols() {
        return alpnProtocols;
    }

    /** Compiles every certificate; broken ones are left out and reported, in input order. */
    public CompiledCertificates compile(Collection<Certificate> certificates) {
        List<CompiledCertificate> compiled = new ArrayList<>();
        List<CertificateProblem> problems = new ArrayList<>();
        for (Certificate certificate : certificates) {
            try {
                compiled.add(compile(certificate));
            } catch (InvalidCertificateException e) {
                problems.add(e.problem());
            }
        }
        return new CompiledCertificates(compiled, problems);
    }

    /**
     * Compiles a new snapshot's certificates against the set served now. A certificate whose id and PEM texts
     * are unchanged is reused without compiling it again (still checked for expiry). A certificate whose new
     * version is broken keeps its previous version while that is still valid, and the problem says so; a new
     * id that is broken, or one whose previous version has expired, is left out.
     */
    public CompiledCertificates compile(Collection<Certificate> certificates, SniCertificates previous) {
        Instant now = clock.instant();
        List<CompiledCertificate> compiled = new ArrayList<>();
        List<CertificateProblem> problems = new ArrayList<>();
        for (Certificate certificate : certificates) {
            Optional<CompiledCertificate> old = previous.byId(certificate.id())
                    .filter(p -> p.isValidAt(now));
            if (old.isPresent() && old.get().source().equals(source(certificate))) {
                compiled.add(old.get());
                continue;
            }
            try {
                compiled.add(compile(certificate));
            } catch (InvalidCertificateException e) {
                if (old.isPresent()) {
                    compiled.add(old.get());
                    problems.add(new CertificateProblem(certificate.id(), e.problem().reason()
                            + "; still serving the previous version, valid until " + old.get().notAfter()));
                } else {
                    problems.add(e.problem());
                }
            }
        }
        return new CompiledCertificates(compiled, problems);
    }

    /** Compiles one certificate or says why it cannot be served. */
    public CompiledCertificate compile(Certificate certificate) throws InvalidCertificateException {
        String id = certificate.id();
        PemDecoder pem = new PemDecoder(id);
        List<X509Certificate> chain = pem.certificates(certificate.certificatePem());
        PrivateKey key = pem.privateKey(certificate.privateKeyPem());
        X509Certificate leaf = chain.get(0);
        checkKeyMatches(id, key, leaf.getPublicKey());
        Instant now = clock.instant();
        Instant notBefore = leaf.getNotBefore().toInstant();
        Instant notAfter = leaf.getNotAfter().toInstant();
        if (now.isAfter(notAfter)) {
            throw new InvalidCertificateException(id, "certificate expired at " + notAfter);
        }
        if (now.isBefore(notBefore)) {
            throw new InvalidCertificateException(id, "certificate is not valid before " + notBefore);
        }
        return new CompiledCertificate(id, serverContext(id, key, chain), serverNames(id, leaf), notBefore, notAfter,
                source(certificate), key, chain);
    }

    private static String source(Certificate certificate) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            for (String part : List.of(certificate.id(), certificate.certificatePem(), certificate.privateKeyPem())) {
                digest.update(part.getBytes(StandardCharsets.UTF_8));
                digest.update((byte) 0);
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JDK", e);
        }
    }

    private SslContext serverContext(String id, PrivateKey key, List<X509Certificate> chain)
            throws InvalidCertificateException {
        try {
            return SslContextBuilder.forServer(key, chain.toArray(new X509Certificate[0]))
                    .sslProvider(provider.sslProvider())
                    .protocols("TLSv1.3", "TLSv1.2")
                    .ciphers(Http2SecurityUtil.CIPHERS, SupportedCipherSuiteFilter.INSTANCE)
                    .applicationProtocolConfig(new ApplicationProtocolConfig(
                            ApplicationProtocolConfig.Protocol.ALPN,
                            ApplicationProtocolConfig.SelectorFailureBehavior.NO_ADVERTISE,
                            ApplicationProtocolConfig.SelectedListenerFailureBehavior.ACCEPT,
                            alpnProtocols))
                    .build();
        } catch (SSLException | RuntimeException e) {
            throw new InvalidCertificateException(id, "TLS provider rejected the certificate and key");
        }
    }

    /**
     * Proves the key belongs to the leaf by signing a probe and verifying it with the leaf's public key, which
     * works the same for RSA, EC and EdDSA keys in any encoding.
     */
    private static void checkKeyMatches(String id, PrivateKey key, PublicKey leafKey)
            throws InvalidCertificateException {
        if (!key.getAlgorithm().equals(leafKey.getAlgorithm())) {
            throw new InvalidCertificateException(id, "private key is " + key.getAlgorithm()
                    + " but the certificate's public key is " + leafKey.getAlgorithm());
        }
        String algorithm = signatureAlgorithm(key.getAlgorithm());
        if (algorithm == null) {
            throw new InvalidCertificateException(id, "unsupported key algorithm " + key.getAlgorithm());
        }
        try {
            Signature signer = Signature.getInstance(algorithm);
            signer.initSign(key);
            signer.update(PROBE);
            byte[] signature = signer.sign();
            Signature verifier = Signature.getInstance(algorithm);
            verifier.initVerify(leafKey);
            verifier.update(PROBE);
            if (!verifier.verify(signature)) {
                throw new InvalidCertificateException(id, "private key does not match the certificate");
            }
        } catch (GeneralSecurityException | RuntimeException e) {
            throw new InvalidCertificateException(id, "private key does not match the certificate");
        }
    }

    private static String signatureAlgorithm(String keyAlgorithm) {
        switch (keyAlgorithm) {
            case "RSA":
                return "SHA256withRSA";
            case "EC":
                return "SHA256withECDSA";
            case "EdDSA":
            case "Ed25519":
            case "Ed448":
                return keyAlgorithm;
            default:
                return null;
        }
    }

    /** DNS subjectAltNames, lower-cased; the subject CN only when there are none (RFC 6125 section 6.4.4). */
    private static List<String> serverNames(String id, X509Certificate leaf) throws InvalidCertificateException {
        Set<String> names = new LinkedHashSet<>();
        try {
            Collection<List<?>> alternatives = leaf.getSubjectAlternativeNames();
            if (alternatives != null) {
                for (List<?> alternative : alternatives) {
                    if (Integer.valueOf(SAN_DNS_NAME).equals(alternative.get(0))) {
                        names.add(lowerCase((String) alternative.get(1)));
                    }
                }
            }
        } catch (CertificateParsingException e) {
            throw new InvalidCertificateException(id, "certificate subjectAltName cannot be parsed");
        }
        if (names.isEmpty()) {
            X500Name subject = X500Name.getInstance(leaf.getSubjectX500Principal().getEncoded());
            for (RDN rdn : subject.getRDNs(BCStyle.CN)) {
                names.add(lowerCase(IETFUtils.valueToString(rdn.getFirst().getValue())));
            }
        }
        return List.copyOf(names);
    }

    private static String lowerCase(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }
}
