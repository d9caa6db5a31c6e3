package io.sluice.proxy.tls;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Compiling a snapshot's certificates against the set the proxy serves now. */
class SnapshotToSnapshotCompileTest {
    private static final TestPki PKI = new TestPki();

    private final CertificateCompiler compiler = new CertificateCompiler(TlsProvider.detect(), Clock.systemUTC());

    private SniCertificates serving(List<CompiledCertificate> certificates) throws Exception {
        return new SniCertificates(certificates, compiler.compile(DefaultCertificate.selfSigned(Clock.systemUTC())));
    }

    @Test
    void anUnchangedCertificateIsReusedNotRecompiled() throws Exception {
        Certificate site = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        CompiledCertificate first = compiler.compile(site);

        CompiledCertificates next = compiler.compile(List.of(site), serving(List.of(first)));

        assertThat(next.problems()).isEmpty();
        assertThat(next.certificates()).singleElement().isSameAs(first);
    }

    @Test
    void aChangedCertificateIsCompiledAgain() throws Exception {
        Certificate site = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        Certificate renewed = PKI.leaf("secret/web/tls").dns("www.example.com", "example.com").build();
        CompiledCertificate first = compiler.compile(site);

        CompiledCertificates next = compiler.compile(List.of(renewed), serving(List.of(first)));

        assertThat(next.certificates()).singleElement().isNotSameAs(first)
                .extracting(CompiledCertificate::serverNames).isEqualTo(List.of("www.example.com", "example.com"));
    }

    @Test
    void aBrokenNewVersionKeepsThePreviousOneAndSaysSo() throws Exception {
        Certificate site = PKI.leaf("secret/web/tls").dns("www.example.com").build();
        Certificate broken = PKI.leaf("secret/web/tls").dns("www.example.com").mismatchedKey().build();
        CompiledCertificate first = compiler.compile(site);

        CompiledCertificates next = compiler.compile(List.of(broken), serving(List.of(first)));

        assertThat(next.certificates()).singleElement().isSameAs(first);
        assertThat(next.problems()).singleElement().satisfies(problem -> {
            assertThat(problem.certificateId()).isEqualTo("secret/web/tls");
            assertThat(problem.reason()).startsWith("private key does not match the certificate; "
                    + "still serving the previous version, valid until ");
        });
    }

    @Test
    void aBrokenNewIdIsLeftOut() throws Exception {
        Certificate broken = new Certificate("secret/web/new", "", "");

        CompiledCertificates next = compiler.compile(List.of(broken), serving(List.of()));

        assertThat(next.certificates()).isEmpty();
        assertThat(next.problems()).containsExactly(new CertificateProblem("secret/web/new", "certificate PEM is empty"));
    }

    @Test
    void anExpiredPreviousVersionIsNeitherReusedNorKept() throws Exception {
        Instant now = Instant.now();
        Certificate site = PKI.leaf("secret/web/tls").dns("www.example.com")
                .validity(now.minus(Duration.ofDays(1)), now.plus(Duration.ofHours(1))).build();
        CompiledCertificate first = compiler.compile(site);
        CertificateCompiler later = new CertificateCompiler(TlsProvider.detect(),
                Clock.fixed(now.plus(Duration.ofHours(2)), ZoneOffset.UTC));

        CompiledCertificates next = later.compile(List.of(site), serving(List.of(first)));

        assertThat(next.certificates()).isEmpty();
        assertThat(next.problems()).singleElement().extracting(CertificateProblem::reason).asString()
                .startsWith("certificate expired at ");
    }
}
