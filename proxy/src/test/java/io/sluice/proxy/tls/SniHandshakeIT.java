package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.proxy.tls.TestPki.KeyEncoding;
import io.sluice.proxy.tls.TestPki.KeyType;
import io.sluice.snapshot.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.util.List;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Real TLS handshakes against a Netty server using {@link SniCertificates} through {@code SniHandler}. */
class SniHandshakeIT {
    private static final TestPki PKI = new TestPki();
    private static final CertificateCompiler COMPILER = new CertificateCompiler(TlsProvider.detect(), Clock.systemUTC());

    private static Certificate www;
    private static Certificate wildcard;
    private static Certificate rsa;
    private static Certificate fallback;
    private static TlsTestServer server;
    private static TlsTestClient client;

    @BeforeAll
    static void start() throws Exception {
        www = PKI.leaf("secret/web/www").dns("www.example.com").withChain().build();
        wildcard = PKI.leaf("secret/web/wildcard").dns("*.example.com").build();
        rsa = PKI.leaf("secret/web/rsa").dns("rsa.example.com").key(KeyType.RSA, KeyEncoding.TRADITIONAL).build();
        fallback = DefaultCertificate.selfSigned(Clock.systemUTC());
        CompiledCertificates compiled = COMPILER.compile(List.of(www, wildcard, rsa));
        assertThat(compiled.problems()).isEmpty();
        server = new TlsTestServer(new SniCertificates(compiled.certificates(), COMPILER.compile(fallback)));
        client = new TlsTestClient(PKI.ca(), TlsTestClient.leafOf(fallback));
    }

    @AfterAll
    static void stop() throws Exception {
        server.close();
    }

    @ParameterizedTest(name = "SNI {0} is served {1}")
    @CsvSource({
            "www.example.com, www",
            "WWW.EXAMPLE.COM, www",
            "shop.example.com, wildcard",
            "rsa.example.com, rsa",
            "a.b.example.com, default",
            "example.com, default",
            "unknown.test, default"})
    void servesTheCertificateMatchingTheServerName(String serverName, String expected) throws Exception {
        try (TlsTestClient.Connection connection = client.connect(server.port(), serverName)) {
            assertThat(connection.peer()).isEqualTo(certificate(expected));
            assertThat(connection.get()).isEqualTo(TlsTestServer.BODY);
        }
    }

    @Test
    void aClientWithoutSniGetsTheDefaultCertificate() throws Exception {
        try (TlsTestClient.Connection connection = client.connect(server.port(), null)) {
            assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(fallback));
            assertThat(connection.peer().getSubjectX500Principal().getName()).contains("sluice-default.invalid");
            assertThat(connection.get()).isEqualTo(TlsTestServer.BODY);
        }
    }

    @Test
    void theChainIncludesTheIntermediateFromTheSecret() throws Exception {
        try (TlsTestClient.Connection connection = client.connect(server.port(), "www.example.com")) {
            assertThat(connection.peer()).isEqualTo(TlsTestClient.leafOf(www));
        }
    }

    @Test
    void alpnNegotiatesH2WhenOfferedElseHttp11() throws Exception {
        try (TlsTestClient.Connection connection = client.connect(server.port(), "www.example.com", "h2", "http/1.1")) {
            assertThat(connection.applicationProtocol()).isEqualTo("h2");
        }
        try (TlsTestClient.Connection connection = client.connect(server.port(), "www.example.com", "http/1.1")) {
            assertThat(connection.applicationProtocol()).isEqualTo("http/1.1");
            assertThat(connection.get()).isEqualTo(TlsTestServer.BODY);
        }
        try (TlsTestClient.Connection connection = client.connect(server.port(), "www.example.com")) {
            assertThat(connection.applicationProtocol()).isEmpty();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheServedCertificateFailsTheHandshake() throws Exception {
        TlsTestClient trustsOnlyTheDefault = new TlsTestClient(TlsTestClient.leafOf(fallback));

        assertThatThrownBy(() -> trustsOnlyTheDefault.connect(server.port(), "www.example.com").close())
                .isInstanceOf(SSLHandshakeException.class);
    }

    private static X509Certificate certificate(String name) throws Exception {
        switch (name) {
            case "www":
                return TlsTestClient.leafOf(www);
            case "wildcard":
                return TlsTestClient.leafOf(wildcard);
            case "rsa":
                return TlsTestClient.leafOf(rsa);
            default:
                return TlsTestClient.leafOf(fallback);
        }
    }
}
