package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SnapshotCodecTest {
    private final SnapshotCodec codec = new SnapshotCodec();

    static RoutingSnapshot sample(SnapshotVersion version) {
        return new RoutingSnapshot(version,
                List.of(new Router("r1", List.of("web"), new RouteMatch.Rule("Host(`a.test`)"), 0,
                                List.of("m1"), "s1", null),
                        new Router("r2", List.of(), new RouteMatch.IngressPath("*.b.test", "/x",
                                RouteMatch.PathType.PREFIX), 5, List.of(), "w", new RouterTls("c1", null))),
                List.of(Service.LoadBalancer.of("s1", List.of(Endpoint.ready("10.0.0.1", 8080),
                                new Endpoint("fd00::1", 80, 2, false, true, true))),
                        new Service.Weighted("w", List.of(new Service.WeightedTarget("s1", 3)), null)),
                List.of(new Middleware("m1", new MiddlewareSpec.Headers(Map.of("X-B", "2", "X-A", "1"), null))),
                List.of(new Certificate("c1", "CERT", "SECRET-KEY")));
    }

    @Test
    void roundTripsEveryKindOfObject() throws Exception {
        RoutingSnapshot snapshot = sample(new SnapshotVersion(3, 7));
        assertThat(codec.decode(codec.encode(snapshot))).isEqualTo(snapshot);
    }

    @Test
    void roundTripsTheDefaultCertificateAndTlsOptionsAndOmitsThemWhenAbsent() throws Exception {
        RoutingSnapshot plain = sample(new SnapshotVersion(3, 7));
        assertThat(codec.encodeToString(plain)).doesNotContain("tlsOptions", "defaultCertificate");
        TlsOptions mtls = new TlsOptions("shop/mtls", "TLSv1.3", null, List.of("TLS_AES_128_GCM_SHA256"),
                TlsOptions.ClientAuth.REQUIRE_AND_VERIFY, "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n",
                true, List.of("http/1.1"));
        RoutingSnapshot withTls = new RoutingSnapshot(plain.version(), plain.routers(), plain.services(),
                plain.middlewares(), plain.certificates(), null, List.of(mtls));
        assertThat(codec.decode(codec.encode(withTls))).isEqualTo(withTls);
        assertThat(codec.contentHash(withTls)).isNotEqualTo(codec.contentHash(plain));
    }

    @Test
    void encodingIsDeterministicWhateverTheMapOrder() {
        String json = codec.encodeToString(sample(new SnapshotVersion(1, 1)));
        assertThat(json.indexOf("X-A")).isLessThan(json.indexOf("X-B"));
        assertThat(json).isEqualTo(codec.encodeToString(sample(new SnapshotVersion(1, 1))));
    }

    @Test
    void contentHashIgnoresTheVersionButNotTheContent() {
        RoutingSnapshot a = sample(new SnapshotVersion(1, 1));
        assertThat(codec.contentHash(a)).isEqualTo(codec.contentHash(a.withVersion(new SnapshotVersion(9, 9))));
        RoutingSnapshot b = new RoutingSnapshot(a.version(), a.routers().subList(0, 1), a.services(),
                a.middlewares(), a.certificates());
        assertThat(codec.contentHash(a)).isNotEqualTo(codec.contentHash(b));
    }

    @Test
    void decodeErrorsNameTheField() {
        byte[] bad = "{\"version\":{\"epoch\":1,\"sequence\":1},\"routers\":[{\"id\":\"r\",\"match\":{\"type\":\"nope\"}}]}"
                .getBytes(StandardCharsets.UTF_8);
        assertThatThrownBy(() -> codec.decode(bad))
                .isInstanceOf(SnapshotCodec.SnapshotDecodeException.class)
                .hasMessageContaining("routers")
                .hasMessageContaining("nope");
        assertThatThrownBy(() -> codec.decode("not json".getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(SnapshotCodec.SnapshotDecodeException.class);
    }

    @Test
    void keysNeverShowInToString() {
        RoutingSnapshot snapshot = sample(new SnapshotVersion(1, 1));
        assertThat(snapshot.toString()).doesNotContain("SECRET-KEY");
        assertThat(new MiddlewareSpec.BasicAuth(List.of("u:$apr1$hash"), "r", false, null).toString())
                .doesNotContain("hash");
    }

    @Test
    void versionsOrderByEpochThenSequence() {
        assertThat(new SnapshotVersion(2, 0).isNewerThan(new SnapshotVersion(1, 99))).isTrue();
        assertThat(new SnapshotVersion(1, 2).isNewerThan(new SnapshotVersion(1, 1))).isTrue();
        assertThat(new SnapshotVersion(1, 1).isNewerThan(new SnapshotVersion(1, 1))).isFalse();
        assertThat(new SnapshotVersion(4, 5)).hasToString("4.5");
    }
}
