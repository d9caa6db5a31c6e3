package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class PathNormalizerTest {
    private final PathNormalizer strict = new PathNormalizer(true);

    @ParameterizedTest
    @CsvSource({
        "/a/b, /a/b",
        "/a/./b, /a/b",
        "/a/../b, /b",
        "/../../etc, /etc",
        "/a/%2e%2e/b, /b",
        "/a/%2E/b, /a/b",
        "/%61pi, /api",
        "/a%20b, /a%20b",
        "/a/b/.., /a/",
        "/, /",
        "/., /",
        "/.., /",
        "/a/., /a/",
        "/.well-known/x, /.well-known/x",
        "/a..b/c., /a..b/c.",
        "/a/...b, /a/...b",
        "/a/.../b, /a/.../b",
        "//a//b, //a//b",
    })
    void normalizes(String raw, String expected) {
        assertThat(strict.normalize(raw)).isEqualTo(expected);
    }

    @Test
    void aPathWithNothingToNormalizeIsReturnedAsIsWithoutACopy() {
        String raw = "/api/v1/items/.hidden";
        assertThat(strict.normalize(raw)).isSameAs(raw);
    }

    @ParameterizedTest
    @CsvSource({"/a%2Fb", "/a%2fb", "/a%5Cb", "/a%zz", "/a%2", "relative", "*"})
    void refuses(String raw) {
        assertThat(strict.normalize(raw)).isNull();
    }

    @Test
    void encodedSlashAllowedWhenConfigured() {
        assertThat(new PathNormalizer(false).normalize("/a%2Fb")).isEqualTo("/a%2Fb");
    }

    @Test
    void trustedProxiesMatchCidrs() throws Exception {
        TrustedProxies trusted = new TrustedProxies(List.of("10.0.0.0/8", "192.168.1.7", "fd00::/8"));
        assertThat(trusted.contains(InetAddress.getByName("10.2.3.4"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("11.0.0.1"))).isFalse();
        assertThat(trusted.contains(InetAddress.getByName("192.168.1.7"))).isTrue();
        assertThat(trusted.contains(InetAddress.getByName("192.168.1.8"))).isFalse();
        assertThat(trusted.contains(InetAddress.getByName("fd12::1"))).isTrue();
    }
}
