package io.sluice.proxy.tls;

import io.sluice.snapshot.Certificate;
import java.io.IOException;
import java.io.StringWriter;
import java.math.BigInteger;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.bouncycastle.asn1.DERBitString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.sec.ECPrivateKey;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.util.io.pem.PemObject;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/** A throw-away certificate authority for tests: issues leaf certificates as snapshot {@link Certificate}s. */
final class TestPki {
    enum KeyType { RSA, EC, ED25519 }

    enum KeyEncoding { PKCS8, TRADITIONAL }

    private final KeyPair caKeys;
    private final X509Certificate ca;
    private final AtomicLong serials = new AtomicLong(1000);

    TestPki() {
        try {
            caKeys = generate(KeyType.EC);
            X500Name name = new X500Name("CN=Sluice Test CA");
            Instant now = Instant.now();
            ca = new JcaX509CertificateConverter().getCertificate(new JcaX509v3CertificateBuilder(name,
                    BigInteger.ONE, Date.from(now.minus(Duration.ofDays(1))), Date.from(now.plus(Duration.ofDays(30))),
                    name, caKeys.getPublic())
                    .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    X509Certificate ca() {
        return ca;
    }

    Leaf leaf(String id) {
        return new Leaf(id);
    }

    static KeyPair generate(KeyType type) throws GeneralSecurityException {
        if (type == KeyType.RSA) {
            KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
            rsa.initialize(2048);
            return rsa.generateKeyPair();
        }
        if (type == KeyType.ED25519) {
            return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
        }
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        return ec.generateKeyPair();
    }

    static String pem(Object object) {
        StringWriter out = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(out)) {
            writer.writeObject(object);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out.toString();
    }

    static String pkcs8(PrivateKey key) {
        try {
            return pem(new JcaPKCS8Generator(key, null).generate());
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * PKCS#1 for RSA; SEC1 with the curve named inside for EC, as openssl and cert-manager write it (the JDK's own
     * EC encoding leaves the curve out of the inner structure, so it is built here).
     */
    static String traditional(KeyPair keys) throws IOException {
        if (keys.getPrivate().getAlgorithm().equals("RSA")) {
            return pem(keys.getPrivate());
        }
        PrivateKeyInfo info = PrivateKeyInfo.getInstance(keys.getPrivate().getEncoded());
        ECPrivateKey inner = ECPrivateKey.getInstance(info.parsePrivateKey());
        DERBitString publicKey = new DERBitString(
                SubjectPublicKeyInfo.getInstance(keys.getPublic().getEncoded()).getPublicKeyData().getBytes());
        ECPrivateKey sec1 = new ECPrivateKey(256, inner.getKey(), publicKey,
                info.getPrivateKeyAlgorithm().getParameters());
        return pem(new PemObject("EC PRIVATE KEY", sec1.getEncoded()));
    }

    /** Builder for one leaf certificate. */
    final class Leaf {
        private final String id;
        private final List<String> dnsNames = new ArrayList<>();
        private String commonName = "leaf";
        private KeyType keyType = KeyType.EC;
        private KeyEncoding encoding = KeyEncoding.PKCS8;
        private Instant notBefore = Instant.now().minus(Duration.ofHours(1));
        private Instant notAfter = Instant.now().plus(Duration.ofDays(7));
        private boolean withChain;
        private boolean mismatchedKey;

        private Leaf(String id) {
            this.id = id;
        }

        Leaf dns(String... names) {
            dnsNames.addAll(List.of(names));
            return this;
        }

        Leaf commonName(String name) {
            commonName = name;
            return this;
        }

        Leaf key(KeyType type, KeyEncoding keyEncoding) {
            keyType = type;
            encoding = keyEncoding;
            return this;
        }

        Leaf validity(Instant from, Instant until) {
            notBefore = from;
            notAfter = until;
            return this;
        }

        /** Appends the CA certificate after the leaf in {@code tls.crt}, as real Secrets do. */
        Leaf withChain() {
            withChain = true;
            return this;
        }

        /** Pairs the certificate with a different key of the same type. */
        Leaf mismatchedKey() {
            mismatchedKey = true;
            return this;
        }

        Certificate build() {
            try {
                KeyPair keys = generate(keyType);
                var builder = new JcaX509v3CertificateBuilder(new X500Name("CN=Sluice Test CA"),
                        BigInteger.valueOf(serials.incrementAndGet()), Date.from(notBefore), Date.from(notAfter),
                        new X500Name("CN=" + commonName), keys.getPublic());
                if (!dnsNames.isEmpty()) {
                    GeneralName[] names = dnsNames.stream()
                            .map(n -> new GeneralName(GeneralName.dNSName, n)).toArray(GeneralName[]::new);
                    builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
                }
                X509Certificate leaf = new JcaX509CertificateConverter().getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(caKeys.getPrivate())));
                KeyPair served = mismatchedKey ? generate(keyType) : keys;
                String chain = pem(leaf) + (withChain ? pem(ca) : "");
                String keyPem = encoding == KeyEncoding.PKCS8 ? pkcs8(served.getPrivate()) : traditional(served);
                return new Certificate(id, chain, keyPem);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }
}
