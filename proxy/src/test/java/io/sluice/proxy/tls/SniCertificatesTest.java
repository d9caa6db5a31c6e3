package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SniCertificatesTest {
    private static final TestPki PKI = new TestPki();
    private static final CertificateCompiler COMPILER = new CertificateCompiler(TlsProvider.detect(), Clock.systemUTC());

    private static SniCertificates certificates;

    @BeforeAll
    static void compile() throws Exception {
        certificates = new SniCertificates(List.of(
                compile(PKI.leaf("www").dns("www.example.com", "example.com")),
                compile(PKI.leaf("wildcard").dns("*.example.com")),
                compile(PKI.leaf("api").dns("api.example.com")),
                compile(PKI.leaf("deep-wildcard").dns("*.eu.example.com")),
                compile(PKI.leaf("odd-wildcard").dns("w*.example.org"))),
                COMPILER.compile(DefaultCertificate.selfSigned(Clock.systemUTC())));
    }

    private static CompiledCertificate compile(TestPki.Leaf leaf) throws InvalidCertificateException {
        return COMPILER.compile(leaf.build());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({
            "www.example.com, www",
            "WWW.Example.COM, www",
            "www.example.com., www",
            "example.com, www",
            "api.example.com, api",
            "shop.example.com, wildcard",
            "Shop.Example.com, wildcard",
            "a.b.example.com, default/self-signed",
            "x.eu.example.com, deep-wildcard",
            "eu.example.com, wildcard",
            "www.example.org, default/self-signed",
            "other.test, default/self-signed",
            "com, default/self-signed",
            "'', default/self-signed"})
    void exactThenOneLabelWildcardThenDefault(String serverName, String expectedId) {
        assertThat(certificates.select(serverName).id()).isEqualTo(expectedId);
        assertThat(certificates.map(serverName)).isSameAs(certificates.select(serverName).context());
    }

    @Test
    void noServerNameGetsTheDefault() {
        assertThat(certificates.select(null)).isSameAs(certificates.defaultCertificate());
        assertThat(certificates.map(null)).isSameAs(certificates.defaultCertificate().context());
    }

    @Test
    void whenTwoCertificatesClaimANameTheIdSortingFirstWinsWhateverTheOrder() throws Exception {
        CompiledCertificate b = compile(PKI.leaf("secret/ns/b").dns("shared.example.com", "*.shared.example.com"));
        CompiledCertificate a = compile(PKI.leaf("secret/ns/a").dns("shared.example.com", "*.shared.example.com"));
        CompiledCertificate fallback = COMPILER.compile(DefaultCertificate.selfSigned(Clock.systemUTC()));

        for (List<CompiledCertificate> order : List.of(List.of(a, b), List.of(b, a))) {
            SniCertificates sni = new SniCertificates(order, fallback);
            assertThat(sni.select("shared.example.com").id()).isEqualTo("secret/ns/a");
            assertThat(sni.select("x.shared.example.com").id()).isEqualTo("secret/ns/a");
        }
    }

    @Test
    void findsCertificatesById() {
        assertThat(certificates.byId("api")).map(CompiledCertificate::serverNames)
                .contains(List.of("api.example.com"));
        assertThat(certificates.byId("missing")).isEmpty();
        assertThat(certificates.size()).isEqualTo(5);
    }
}
