package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.util.AsciiString;
import org.junit.jupiter.api.Test;

/** Request heads still refuse every invalid header name; only the proxy's own constant names skip the check. */
class OwnHeaderNamesTest {
    private final HttpHeaders headers = new OwnHeaderNames(ForwardingHeaders.names()).headersFactory()
            .newHeaders();

    @Test
    void invalidNamesAreRefusedWhateverTheirType() {
        assertThatThrownBy(() -> headers.add("bad name", "v")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add(new AsciiString("X-Forwarded-For\r\nInjected"), "v"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> headers.add(new AsciiString("a:b"), "v")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theProxysOwnNamesAndValidDecodedNamesAreAccepted() {
        for (AsciiString own : ForwardingHeaders.names()) {
            headers.set(own, "1");
        }
        headers.set(HttpHeaderNames.HOST, "a.example");
        headers.add(new AsciiString("X-Forwarded-For"), "2"); // as a decoder makes it: checked, and valid
        assertThat(headers.getAll("x-forwarded-for")).containsExactly("1", "2");
        assertThat(headers.get("host")).isEqualTo("a.example");
    }

    @Test
    void valuesAreStillChecked() {
        assertThatThrownBy(() -> headers.set(ForwardingHeaders.names()[0], "1\r\nInjected: yes"))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
