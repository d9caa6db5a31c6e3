package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import io.sluice.proxy.upstream.WireHeaders;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Request heads (decoded into {@link WireHeaders} with {@link OwnHeaderNames}) still refuse every invalid header
 * name; only the proxy's own constant names skip the check. Each case runs on the received bytes and after the
 * headers turned into Netty's representation.
 */
class OwnHeaderNamesTest {
    private static HttpHeaders headers(boolean materialized) {
        byte[] head = "User-Agent: t".getBytes(StandardCharsets.US_ASCII);
        WireHeaders headers = new WireHeaders(head, new int[] {0, 10, 12, 13}, 1,
                new OwnHeaderNames(ForwardingHeaders.names()));
        if (materialized) {
            assertThat(headers.names()).containsExactly("User-Agent");
            assertThat(headers.onWire()).isFalse();
        }
        return headers;
    }

    @ParameterizedTest(name = "materialized: {0}")
    @ValueSource(booleans = {false, true})
    void invalidNamesAreRefusedWhateverTheirType(boolean materialized) {
        HttpHeaders headers = headers(materialized);
        assertThatThrownBy(() -> headers.add("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.set(new AsciiString("X-Forwarded-For\r\nInjected"), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add(new AsciiString("a:b"), "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "materialized: {0}")
    @ValueSource(booleans = {false, true})
    void theProxysOwnNamesAndValidDecodedNamesAreAccepted(boolean materialized) {
        HttpHeaders headers = headers(materialized);
        for (AsciiString own : ForwardingHeaders.names()) {
            headers.set(own, "1");
        }
        headers.set(HttpHeaderNames.HOST, "a.example");
        headers.add(new AsciiString("X-Forwarded-For"), "2"); // as a decoder makes it: checked, and valid
        assertThat(headers.getAll("x-forwarded-for")).containsExactly("1", "2");
        assertThat(headers.get("host")).isEqualTo("a.example");
        assertThat(headers.get("user-agent")).isEqualTo("t");
    }

    @ParameterizedTest(name = "materialized: {0}")
    @ValueSource(booleans = {false, true})
    void valuesAreStillChecked(boolean materialized) {
        HttpHeaders headers = headers(materialized);
        assertThatThrownBy(() -> headers.set(ForwardingHeaders.names()[0], "1\r\nInjected: yes"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
