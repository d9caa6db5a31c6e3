package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.proxy.tls.TestPki.KeyEncoding;
import io.sluice.proxy.tls.TestPki.KeyType;
import io.sluice.snapshot.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CertificateCompilerTest {
    private static final TestPki PKI = new TestPki();

    private final CertificateCompiler compiler = new CertificateCompiler(TlsProvider.detect(), Clock.systemUTC());

    @ParameterizedTest
    @CsvSource({"RSA, PKCS8, PRIVATE KEY", "RSA, TRADITIONAL, RSA PRIVATE KEY",
            "EC, PKCS8, PRIVATE KEY", "EC, TRADITIONAL, EC PRIVATE KEY", "ED25519, PKCS8, PRIVATE KEY"})
    void compilesRsaAndEcKeysInEveryEncoding(KeyType type, KeyEncoding encoding, String pemLabel) throws Exception {
        Certificate certificate = PKI.leaf("secret/default/web").dns("web.example.com")
                .key(type, encoding).withChain().build();
        assertThat(certificate.privateKeyPem()).startsWith("-----BEGIN " + pemLabel + "-----");

        CompiledCertificate compiled = compiler.compile(certificate);

        assertThat(compiled.id()).isEqualTo("secret/default/web");
        assertThat(compiled.serverNames()).containsExactly("web.example.com");
        assertThat(compiled.context().isServer()).isTrue();
        assertThat(compiled.context().applicationProtocolNegotiator().protocols())
                .containsExactly("h2", "http/1.1");
    }

    @Test
    void readsEverySubjectAltNameLowerCasedAndIgnoresTheCnWhenThereAreSans() throws Exception {
        Certificate certificate = PKI.leaf("multi").commonName("ignored.example.com")
                .dns("WWW.Example.com", "*.api.example.com", "example.com.").build();

        assertThat(compiler.compile(certificate).serverNames())
                .containsExactly("www.example.com", "*.api.example.com", "example.com");
    }

    @Test
    void fallsBackToTheCommonNameWithoutSubjectAltNames() throws Exception {
        Certificate certificate = PKI.leaf("cn-only").commonName("Legacy.Example.com").build();

        assertThat(compiler.compile(certificate).serverNames()).containsExactly("legacy.example.com");
    }

    @Test
    void reportsEachBrokenCertificateByIdAndKeepsTheOthers() {
        Certificate good = PKI.leaf("good").dns("good.example.com").build();
        Certificate valid = PKI.leaf("x").dns("x.example.com").build();
        Instant now = Instant.now();
        List<Certificate> input = List.of(
                new Certificate("empty-cert", "", valid.privateKeyPem()),
                new Certificate("empty-key", valid.certificatePem(), " "),
                new Certificate("garbage-cert", "-----BEGIN CERTIFICATE-----\nnot base64!\n-----END CERTIFICATE-----\n",
                        valid.privateKeyPem()),
                new Certificate("key-in-cert", valid.privateKeyPem(), valid.privateKeyPem()),
                new Certificate("garbage-key", valid.certificatePem(),
                        "-----BEGIN PRIVATE KEY-----\nAAAA@@@\n-----END PRIVATE KEY-----\n"),
                new Certificate("cert-as-key", valid.certificatePem(), valid.certificatePem()),
                good,
                PKI.leaf("mismatch").dns("m.example.com").mismatchedKey().build(),
                new Certificate("rsa-key-ec-cert", valid.certificatePem(),
                        PKI.leaf("r").key(KeyType.RSA, KeyEncoding.PKCS8).build().privateKeyPem()),
                PKI.leaf("expired").dns("old.example.com")
                        .validity(now.minus(Duration.ofDays(10)), now.minus(Duration.ofDays(1))).build(),
                PKI.leaf("future").dns("new.example.com")
                        .validity(now.plus(Duration.ofDays(1)), now.plus(Duration.ofDays(10))).build());

        CompiledCertificates result = compiler.compile(input);

        assertThat(result.certificates()).extracting(CompiledCertificate::id).containsExactly("good");
        assertThat(result.problems()).extracting(CertificateProblem::certificateId).containsExactly(
                "empty-cert", "empty-key", "garbage-cert", "key-in-cert", "garbage-key", "cert-as-key",
                "mismatch", "rsa-key-ec-cert", "expired", "future");
        assertThat(result.problems()).extracting(CertificateProblem::reason).containsExactly(
                "certificate PEM is empty",
                "private key PEM is empty",
                "certificate PEM cannot be parsed",
                "certificate PEM has no CERTIFICATE block",
                "private key PEM cannot be parsed",
                "private key PEM holds no private key",
                "private key does not match the certificate",
                "private key is RSA but the certificate's public key is EC",
                result.problems().get(8).reason(),
                result.problems().get(9).reason());
        assertThat(result.problems().get(8).reason()).startsWith("certificate expired at ");
        assertThat(result.problems().get(9).reason()).startsWith("certificate is not valid before ");
    }

    @Test
    void problemsNeverQuoteKeyMaterial() {
        Certificate valid = PKI.leaf("x").dns("x.example.com").key(KeyType.RSA, KeyEncoding.TRADITIONAL).build();
        String keyBody = valid.privateKeyPem().lines().skip(1).findFirst().orElseThrow();
        Certificate broken = new Certificate("leaky", valid.privateKeyPem(), valid.privateKeyPem());

        assertThatThrownBy(() -> compiler.compile(broken))
                .isInstanceOf(InvalidCertificateException.class)
                .hasMessage("certificate leaky: certificate PEM has no CERTIFICATE block")
                .satisfies(e -> assertThat(e.toString()).doesNotContain(keyBody.substring(0, 20)));
        assertThat(broken.toString()).doesNotContain(keyBody.substring(0, 20));
    }

    @Test
    void validityIsJudgedByTheInjectedClock() throws Exception {
        Certificate certificate = PKI.leaf("soon-expired").dns("a.example.com").build();
        Clock inAMonth = Clock.fixed(Instant.now().plus(Duration.ofDays(30)), java.time.ZoneOffset.UTC);

        assertThat(compiler.compile(certificate).notAfter()).isAfter(Instant.now());
        assertThatThrownBy(() -> new CertificateCompiler(TlsProvider.detect(), inAMonth).compile(certificate))
                .hasMessageStartingWith("certificate soon-expired: certificate expired at ");
    }

    @Test
    void theSelfSignedDefaultCompiles() throws Exception {
        CompiledCertificate compiled = compiler.compile(DefaultCertificate.selfSigned(Clock.systemUTC()));

        assertThat(compiled.id()).isEqualTo(DefaultCertificate.SELF_SIGNED_ID);
        assertThat(compiled.serverNames()).containsExactly(DefaultCertificate.SELF_SIGNED_NAME);
        assertThat(Duration.between(compiled.notBefore(), compiled.notAfter())).isGreaterThan(Duration.ofDays(364));
    }

    @Test
    void providersAreNamed() {
        assertThat(TlsProvider.jdk().providerName()).isEqualTo("JDK");
        assertThat(TlsProvider.jdk().tag()).isEqualTo("jdk");
        assertThat(TlsProvider.named("jdk").tag()).isEqualTo("jdk");
        if (Boolean.getBoolean("io.netty.handler.ssl.noOpenSsl")) {
            // the JDK run of the TLS tests: auto falls back, and openssl refuses with the reason
            assertThat(TlsProvider.detect().providerName()).isEqualTo("JDK");
            assertThatThrownBy(() -> TlsProvider.named("openssl")).hasMessageStartingWith(
                    "--tls-provider openssl: netty-tcnative does not load here");
        } else {
            // netty-tcnative-boringssl-static is a runtime dependency of the proxy
            assertThat(TlsProvider.detect().providerName()).startsWith("OpenSSL BoringSSL");
            assertThat(TlsProvider.named("auto").tag()).isEqualTo("openssl");
        }
    }
}
