package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.DecoderResult;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.TooLongHttpHeaderException;
import io.netty.handler.codec.http.TooLongHttpLineException;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class RequestHeadCheckTest {
    private final RequestHeadCheck check = new RequestHeadCheck(4);

    private static HttpRequest head(HttpVersion version, String... headers) {
        HttpRequest request = new DefaultHttpRequest(version, HttpMethod.POST, "/a");
        for (int i = 0; i < headers.length; i += 2) {
            request.headers().add(headers[i], headers[i + 1]);
        }
        return request;
    }

    private static HttpRequest failed(Throwable cause) {
        HttpRequest request = head(HttpVersion.HTTP_1_1, "host", "a");
        request.setDecoderResult(DecoderResult.failure(cause));
        return request;
    }

    static Stream<Arguments> heads() {
        HttpVersion v11 = HttpVersion.HTTP_1_1;
        return Stream.of(
                Arguments.of("well-formed", head(v11, "host", "a"), null),
                Arguments.of("chunked", head(v11, "host", "a", "transfer-encoding", "chunked"), null),
                Arguments.of("chunked, any case", head(v11, "transfer-encoding", "Chunked"), null),
                Arguments.of("no host at all (HTTP/1.0)", head(HttpVersion.HTTP_1_0), null),
                Arguments.of("exactly the header limit", head(v11, "a", "1", "b", "2", "c", "3", "d", "4"), null),
                Arguments.of("request line too long", failed(new TooLongHttpLineException("x")),
                        "414 malformed request"),
                Arguments.of("headers too large", failed(new TooLongHttpHeaderException("x")), "431 malformed request"),
                Arguments.of("frame too long", failed(new TooLongFrameException("x")), "431 malformed request"),
                Arguments.of("unparsable", failed(new IllegalArgumentException("x")), "400 malformed request"),
                Arguments.of("over the header limit", head(v11, "a", "1", "b", "2", "c", "3", "d", "4", "e", "5"),
                        "431 too many headers"),
                Arguments.of("gzip coding", head(v11, "transfer-encoding", "gzip"),
                        "400 unsupported transfer-encoding"),
                Arguments.of("gzip, chunked", head(v11, "transfer-encoding", "gzip, chunked"),
                        "400 unsupported transfer-encoding"),
                Arguments.of("two transfer-encoding fields",
                        head(v11, "transfer-encoding", "chunked", "transfer-encoding", "chunked"),
                        "400 unsupported transfer-encoding"),
                Arguments.of("chunked in HTTP/1.0", head(HttpVersion.HTTP_1_0, "transfer-encoding", "chunked"),
                        "400 transfer-encoding in HTTP/1.0"),
                Arguments.of("two hosts", head(v11, "host", "a", "host", "b"), "400 duplicate host"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("heads")
    void refusesHeadsThatCannotBeFramedSafely(String name, HttpRequest request, String expected) {
        RequestHeadCheck.Refusal refusal = check.refusalFor(request);
        assertThat(refusal == null ? null : refusal.status() + " " + refusal.text()).isEqualTo(expected);
    }
}
