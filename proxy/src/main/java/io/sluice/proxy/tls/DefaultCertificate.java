package io.sluice.proxy.tls;

import io.sluice.snapshot.Certificate;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * Where the proxy's default certificate comes from: the certificate served when no snapshot certificate covers
 * the client's server name, or the client sends none. Either a PEM pair the operator of the proxy mounts, or a
 * self-signed certificate generated at start (the JDK has no public API to issue one, hence BouncyCastle). The
 * result is a snapshot {@link Certificate}, compiled like any other by {@link CertificateCompiler}.
 */
public final class DefaultCertificate {
    /** Id of the generated certificate, as it appears in logs and on the debug endpoint. */
    public static final String SELF_SIGNED_ID = "default/self-signed";
    /** Id of a certificate read from files. */
    public static final String FILES_ID = "default/files";
    /** Subject CN and only DNS name of the generated certificate; {@code .invalid} can never be a real host. */
    public static final String SELF_SIGNED_NAME = "sluice-default.invalid";

    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration BACKDATE = Duration.ofHours(1);

    private DefaultCertificate() {
    }

    /** Reads a PEM certificate chain and its PEM private key (for example a mounted {@code kubernetes.io/tls} Secret). */
    public static Certificate fromFiles(Path certificateChain, Path privateKey) throws IOException {
        return new Certificate(FILES_ID, Files.readString(certificateChain, StandardCharsets.US_ASCII),
                Files.readString(privateKey, StandardCharsets.US_ASCII));
    }

    /**
     * Generates an EC P-256 self-signed certificate valid for a year from an hour ago (tolerating small clock
     * skew on clients). Clients will not trust it; it exists so a handshake for an unknown name still completes
     * and gets a 404 rather than a TLS alert.
     */
    public static Certificate selfSigned(Clock clock) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair keys = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name subject = new X500Name("CN=" + SELF_SIGNED_NAME + ",O=Sluice");
            X509CertificateHolder holder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(127, new SecureRandom()), Date.from(now.minus(BACKDATE)),
                    Date.from(now.plus(VALIDITY)), subject, keys.getPublic())
                    .addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(new GeneralName(GeneralName.dNSName, SELF_SIGNED_NAME)))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
            return new Certificate(SELF_SIGNED_ID, pem(holder), pem(new JcaPKCS8Generator(keys.getPrivate(), null)));
        } catch (GeneralSecurityException | OperatorCreationException | IOException e) {
            throw new IllegalStateException("cannot generate the self-signed default certificate", e);
        }
    }

    private static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }
}
