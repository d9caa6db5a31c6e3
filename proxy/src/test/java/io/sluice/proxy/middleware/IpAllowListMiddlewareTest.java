package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IpAllowListMiddlewareTest {
    private static final List<String> RANGES = List.of("10.0.0.0/8", "192.168.1.7", "2001:db8::/32", "::1");
    private final MiddlewareFactory factory = new MiddlewareFactory();

    static Stream<Arguments> cases() {
        MiddlewareSpec.IpStrategy depth1 = new MiddlewareSpec.IpStrategy(1, List.of());
        MiddlewareSpec.IpStrategy depth2 = new MiddlewareSpec.IpStrategy(2, List.of());
        MiddlewareSpec.IpStrategy excluding = new MiddlewareSpec.IpStrategy(0, List.of("172.16.0.0/12", "1.1.1.1"));
        return Stream.of(
                // name, strategy, peer, peer trusted, X-Forwarded-For, admitted
                Arguments.of("peer v4 in block", null, "10.1.2.3", false, null, true),
                Arguments.of("peer v4 outside", null, "11.0.0.1", false, null, false),
                Arguments.of("peer single address", null, "192.168.1.7", false, null, true),
                Arguments.of("peer next to single address", null, "192.168.1.8", false, null, false),
                Arguments.of("peer v6 in block", null, "2001:db8:1::5", false, null, true),
                Arguments.of("peer v6 outside", null, "2001:db9::5", false, null, false),
                Arguments.of("peer v6 loopback", null, "::1", false, null, true),
                Arguments.of("v4-mapped v6 peer", null, "::ffff:10.0.0.9", false, null, true),
                Arguments.of("unknown peer", null, null, false, null, false),
                Arguments.of("XFF ignored without strategy", null, "11.0.0.1", true, "10.0.0.1", false),
                Arguments.of("depth 1 from trusted proxy", depth1, "11.0.0.1", true, "8.8.8.8, 10.0.0.1", true),
                Arguments.of("depth 2 from trusted proxy", depth2, "10.0.0.1", true, "8.8.8.8, 10.0.0.1", false),
                Arguments.of("depth 2 admitted", depth2, "11.0.0.1", true, "10.9.9.9, 8.8.8.8", true),
                Arguments.of("depth beyond chain", depth2, "10.0.0.1", true, "10.0.0.2", false),
                Arguments.of("XFF from untrusted peer", depth1, "10.0.0.1", false, "10.0.0.2", false),
                Arguments.of("XFF not an address", depth1, "10.0.0.1", true, "evil.example.com", false),
                Arguments.of("XFF short IPv4 form", depth1, "10.0.0.1", true, "10.1", false),
                Arguments.of("excluded skips proxies", excluding, "11.0.0.1", true,
                        "10.0.0.5, 172.16.3.3, 1.1.1.1", true),
                Arguments.of("excluded finds outsider", excluding, "11.0.0.1", true, "10.0.0.5, 8.8.8.8, 1.1.1.1",
                        false),
                Arguments.of("all excluded", excluding, "10.0.0.1", true, "172.16.0.1", false),
                Arguments.of("depth 0 no exclusions is the peer", new MiddlewareSpec.IpStrategy(0, List.of()),
                        "10.0.0.1", true, "8.8.8.8", true));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void admitsOnlyClientsInTheSourceRange(String name, MiddlewareSpec.IpStrategy strategy, String peer,
            boolean trusted, String forwardedFor, boolean admitted) throws UnknownHostException {
        HttpMiddleware allow = factory.create(new MiddlewareSpec.IpAllowList(RANGES, strategy), id -> null);
        Answer answer = allow.onRequest(request(peer, trusted, forwardedFor));
        if (admitted) {
            assertThat(answer).isNull();
        } else {
            assertThat(answer.status()).isEqualTo(403);
        }
    }

    @Test
    void refusesBadSpecs() {
        assertThatThrownBy(() -> factory.create(new MiddlewareSpec.IpAllowList(List.of(), null), id -> null))
                .hasMessageContaining("sourceRange must not be empty");
        assertThatThrownBy(() -> factory.create(new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/8", "intranet"),
                null), id -> null)).hasMessageContaining("sourceRange").hasMessageContaining("intranet");
        assertThatThrownBy(() -> factory.create(new MiddlewareSpec.IpAllowList(List.of("::/129"), null),
                id -> null)).hasMessageContaining("::/129");
        assertThatThrownBy(() -> factory.create(new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/8"),
                new MiddlewareSpec.IpStrategy(0, List.of("1.2.3"))), id -> null))
                .hasMessageContaining("excludedIPs");
        assertThatThrownBy(() -> factory.create(new MiddlewareSpec.IpAllowList(List.of("10.0.0.0/8"),
                new MiddlewareSpec.IpStrategy(-1, List.of())), id -> null)).hasMessageContaining("depth");
    }

    static ForwardedRequest request(String peer, boolean trusted, String forwardedFor) throws UnknownHostException {
        HttpHeaders headers = new DefaultHttpHeaders();
        if (forwardedFor != null) {
            headers.set("X-Forwarded-For", forwardedFor);
        }
        return new ForwardedRequest("/", null, headers, "http", "app.example.com",
                peer == null ? null : InetAddress.getByName(peer), trusted);
    }
}
