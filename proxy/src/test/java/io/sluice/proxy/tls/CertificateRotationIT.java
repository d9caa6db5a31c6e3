package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Certificate;
import java.time.Clock;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A new snapshot's certificates serve new handshakes; connections already established keep working. */
class CertificateRotationIT {
    private static final TestPki PKI = new TestPki();

    private final CertificateCompiler compiler = new CertificateCompiler(TlsProvider.detect(), Clock.systemUTC());

    @Test
    void replacingTheCertificatesAffectsOnlyNewHandshakes() throws Exception {
        Certificate before = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        Certificate renewed = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        CompiledCertificate fallback = compiler.compile(DefaultCertificate.selfSigned(Clock.systemUTC()));
        CurrentSniCertificates current = new CurrentSniCertificates(
                new SniCertificates(compiler.compile(List.of(before)).certificates(), fallback));
        TlsTestClient client = new TlsTestClient(PKI.ca());

        try (TlsTestServer server = new TlsTestServer(current);
             TlsTestClient.Connection old = client.connect(server.port(), "www.example.com")) {
            assertThat(old.peer()).isEqualTo(TlsTestClient.leafOf(before));
            assertThat(old.get()).isEqualTo(TlsTestServer.BODY);

            SniCertificates replaced = current.replace(
                    new SniCertificates(compiler.compile(List.of(renewed)).certificates(), fallback));

            assertThat(replaced.byId("secret/web/tls")).isPresent();
            assertThat(old.get()).isEqualTo(TlsTestServer.BODY);
            assertThat(old.peer()).isEqualTo(TlsTestClient.leafOf(before));
            try (TlsTestClient.Connection fresh = client.connect(server.port(), "www.example.com")) {
                assertThat(fresh.peer()).isEqualTo(TlsTestClient.leafOf(renewed))
                        .isNotEqualTo(TlsTestClient.leafOf(before));
                assertThat(fresh.get()).isEqualTo(TlsTestServer.BODY);
            }
            assertThat(old.get()).isEqualTo(TlsTestServer.BODY);
        }
    }

    @Test
    void aCertificateDroppedFromTheSnapshotFallsBackToTheDefaultForNewHandshakes() throws Exception {
        Certificate site = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        Certificate defaultPem = DefaultCertificate.selfSigned(Clock.systemUTC());
        CompiledCertificate fallback = compiler.compile(defaultPem);
        CurrentSniCertificates current = new CurrentSniCertificates(
                new SniCertificates(compiler.compile(List.of(site)).certificates(), fallback));
        TlsTestClient client = new TlsTestClient(PKI.ca(), TlsTestClient.leafOf(defaultPem));

        try (TlsTestServer server = new TlsTestServer(current)) {
            current.replace(new SniCertificates(List.of(), fallback));

            try (TlsTestClient.Connection fresh = client.connect(server.port(), "www.example.com")) {
                assertThat(fresh.peer()).isEqualTo(TlsTestClient.leafOf(defaultPem));
            }
        }
    }
}
