package io.sluice.proxy.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.openssl.PEMEncryptedKeyPair;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.pkcs.PKCS8EncryptedPrivateKeyInfo;

/**
 * Reads the PEM text a {@code kubernetes.io/tls} Secret holds. Netty's own PEM reader understands only PKCS#8
 * keys; cert-manager and openssl also write PKCS#1 ({@code RSA PRIVATE KEY}) and SEC1 ({@code EC PRIVATE KEY}), so
 * keys go through BouncyCastle. Errors carry a fixed reason, never the parser's message, which may quote input.
 */
public final class PemDecoder {
    private final String certificateId;

    /** @param certificateId what the PEM belongs to, named in error messages */
    public PemDecoder(String certificateId) {
        this.certificateId = certificateId;
    }

    /** The certificates of {@code tls.crt}, leaf first. */
    public List<X509Certificate> certificates(String pem) throws InvalidCertificateException {
        if (pem.isBlank()) {
            throw invalid("certificate PEM is empty");
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw invalid("certificate PEM has no CERTIFICATE block");
        }
        List<X509Certificate> chain = new ArrayList<>();
        try {
            CertificateFactory factory = CertificateFactory.getInstance("X.509");
            for (var certificate : factory.generateCertificates(
                    new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
                chain.add((X509Certificate) certificate);
            }
        } catch (CertificateException | RuntimeException e) {
            throw invalid("certificate PEM cannot be parsed");
        }
        if (chain.isEmpty()) {
            throw invalid("certificate PEM holds no certificate");
        }
        return List.copyOf(chain);
    }

    /** The private key of {@code tls.key}: PKCS#8, PKCS#1 (RSA) or SEC1 (EC), unencrypted. */
    public PrivateKey privateKey(String pem) throws InvalidCertificateException {
        if (pem.isBlank()) {
            throw invalid("private key PEM is empty");
        }
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
            for (Object item = parser.readObject(); item != null; item = parser.readObject()) {
                if (item instanceof PEMKeyPair) {
                    return converter.getPrivateKey(((PEMKeyPair) item).getPrivateKeyInfo());
                }
                if (item instanceof PrivateKeyInfo) {
                    return converter.getPrivateKey((PrivateKeyInfo) item);
                }
                if (item instanceof PEMEncryptedKeyPair || item instanceof PKCS8EncryptedPrivateKeyInfo) {
                    throw invalid("private key is encrypted; Secrets must hold an unencrypted key");
                }
                // EC PARAMETERS and other blocks before the key are skipped
            }
        } catch (IOException | RuntimeException e) {
            throw invalid("private key PEM cannot be parsed");
        }
        throw invalid("private key PEM holds no private key");
    }

    private InvalidCertificateException invalid(String reason) {
        return new InvalidCertificateException(certificateId, reason);
    }
}
