package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The per-service upstream TLS spec: its JSON form and what the validator refuses. */
class UpstreamTlsSpecTest {
    private static final SnapshotVersion V = new SnapshotVersion(1, 1);
    private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";
    private final SnapshotValidator validator = new SnapshotValidator();
    private final SnapshotCodec codec = new SnapshotCodec();

    private static RoutingSnapshot with(Scheme scheme, UpstreamTls tls, Certificate... certificates) {
        return new RoutingSnapshot(V, List.of(), List.of(new Service.LoadBalancer("s",
                List.of(Endpoint.ready("10.0.0.1", 8443)), scheme, true, Strategy.WRR, null, null, null, null, tls)),
                List.of(), List.of(certificates));
    }

    @Test
    void roundTripsThroughJsonAndOmitsAnAbsentSpec() throws Exception {
        Certificate client = new Certificate("secret/shop/client", "CERT", "KEY");
        RoutingSnapshot snapshot = with(Scheme.HTTPS,
                new UpstreamTls("api.shop.svc", false, List.of(CA), "secret/shop/client"), client);
        assertThat(codec.decode(codec.encode(snapshot))).isEqualTo(snapshot);
        assertThat(new String(codec.encode(with(Scheme.HTTPS, null)), java.nio.charset.StandardCharsets.UTF_8))
                .doesNotContain("\"tls\"");
    }

    @Test
    void disableHttp2RoundTripsAndIsOmittedWhenFalse() throws Exception {
        RoutingSnapshot disabled = with(Scheme.HTTPS, new UpstreamTls(null, false, List.of(CA), null, true));
        String json = codec.encodeToString(disabled);
        assertThat(json).contains("\"disableHttp2\":true");
        assertThat(codec.decode(json.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isEqualTo(disabled);
        assertThat(codec.encodeToString(with(Scheme.HTTPS, new UpstreamTls(null, false, List.of(CA), null))))
                .doesNotContain("disableHttp2");
        assertThat(((Service.LoadBalancer) codec.decode(codec.encode(with(Scheme.HTTPS,
                new UpstreamTls("a", false, List.of(), null)))).services().get(0)).tls().disableHttp2()).isFalse();
    }

    @Test
    void aConsistentSpecHasNoProblems() {
        Certificate client = new Certificate("c", "CERT", "KEY");
        assertThat(validator.validate(with(Scheme.HTTPS, new UpstreamTls("api.shop.svc", false, List.of(CA), "c"),
                client))).isEmpty();
        assertThat(validator.validate(with(Scheme.HTTPS, new UpstreamTls(null, true, null, null)))).isEmpty();
        assertThat(validator.validate(with(Scheme.HTTPS, new UpstreamTls(null, false, null, null, true)))).isEmpty();
    }

    @Test
    void disableHttp2IsATlsSettingSoH2cRefusesIt() {
        assertThat(validator.validate(with(Scheme.H2C, new UpstreamTls(null, false, null, null, true))))
                .containsExactly("service s: tls is set but the scheme is h2c");
    }

    @Test
    void namesEveryProblem() {
        assertThat(validator.validate(with(Scheme.HTTP,
                new UpstreamTls("bad name", false, List.of("not pem"), "missing")))).containsExactlyInAnyOrder(
                "service s: tls is set but the scheme is http",
                "service s: invalid tls server name \"bad name\"",
                "service s: unknown client certificate \"missing\"",
                "service s: a root CA is not a PEM certificate");
    }
}
