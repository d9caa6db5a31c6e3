package io.sluice.proxy.middleware;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.codec.http.DefaultHttpHeaders;
import io.netty.handler.codec.http.HttpHeaders;
import io.sluice.snapshot.MiddlewareSpec;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CompressMiddlewareTest {
    private static final ContentEncodings ALL = new ContentEncodings(List.of("zstd", "br", "gzip"));

    private static CompressMiddleware compress(List<String> encodings, String defaultEncoding,
            ContentEncodings platform) {
        return CompressMiddleware.of(new MiddlewareSpec.Compress(List.of(), List.of(), 0, encodings,
                defaultEncoding), platform);
    }

    @ParameterizedTest(name = "[{index}] {0} -> {1}")
    @CsvSource(delimiterString = " -> ", nullValues = "none", value = {
        "gzip, deflate, br, zstd -> zstd",
        "gzip;q=1.0, br;q=0.9 -> gzip",
        "br;q=0.5, gzip;q=0.5 -> br",
        "gzip;q=0 -> none",
        "identity -> none",
        "*;q=0.5 -> zstd",
        "*, zstd;q=0 -> br",
        "deflate -> none",
        "GZIP -> gzip",
    })
    void picksTheBestAcceptedEncodingInPreferenceOrder(String acceptEncoding, String expected) {
        CompressMiddleware middleware = compress(List.of(), null, ALL);
        assertThat(middleware.choose(List.of(acceptEncoding))).isEqualTo(expected);
    }

    @Test
    void defaultEncodingOnlyWithoutAHeaderOrForAWildcard() {
        CompressMiddleware middleware = compress(List.of("gzip", "br"), "br", ALL);
        assertThat(middleware.choose(List.of())).isEqualTo("br");
        assertThat(middleware.choose(List.of("*"))).isEqualTo("br");
        assertThat(compress(List.of("gzip"), null, ALL).choose(List.of())).isNull();
    }

    @Test
    void dropsEncodingsThisPlatformCannotProduce() {
        CompressMiddleware gzipOnly = compress(List.of("zstd", "br", "gzip"), "zstd",
                new ContentEncodings(List.of("gzip")));
        assertThat(gzipOnly.choose(List.of("zstd, br, gzip"))).isEqualTo("gzip");
        assertThat(gzipOnly.choose(List.of())).as("an unavailable default is no default").isNull();
    }

    @Test
    void refusesUnknownEncodingsAndBothContentTypeLists() {
        assertThatThrownBy(() -> compress(List.of("lzma"), null, ALL)).hasMessageContaining("unknown encoding");
        assertThatThrownBy(() -> CompressMiddleware.of(new MiddlewareSpec.Compress(List.of("image/png"),
                List.of("text/html"), 0, List.of(), null), ALL)).hasMessageContaining("not both");
    }

    private static HttpHeaders headers(String... pairs) {
        HttpHeaders headers = new DefaultHttpHeaders();
        for (int i = 0; i < pairs.length; i += 2) {
            headers.add(pairs[i], pairs[i + 1]);
        }
        return headers;
    }

    @Test
    void responseRulesSkipWhatMustNotOrNeedNotBeCompressed() {
        ResponseCompression gzip = new ResponseCompression(new ResponseCompression.Rules(
                List.of("image/png"), List.of(), 1024), "gzip");
        assertThat(gzip.encodingFor(200, headers("Content-Type", "text/html", "Content-Length", "2000")))
                .isEqualTo("gzip");
        assertThat(gzip.encodingFor(200, headers("Content-Type", "text/html"))).as("unknown length")
                .isEqualTo("gzip");
        assertThat(gzip.encodingFor(200, headers("Content-Type", "text/html", "Content-Length", "100")))
                .isNull();
        assertThat(gzip.encodingFor(200, headers("Content-Type", "IMAGE/PNG; q=1"))).isNull();
        assertThat(gzip.encodingFor(200, headers("Content-Type", "application/grpc+proto"))).isNull();
        assertThat(gzip.encodingFor(200, headers("Content-Encoding", "br"))).isNull();
        assertThat(gzip.encodingFor(206, headers())).isNull();
        assertThat(gzip.encodingFor(200, headers("Content-Range", "bytes 0-9/100"))).isNull();
        assertThat(gzip.encodingFor(204, headers())).isNull();
        assertThat(gzip.encodingFor(304, headers())).isNull();

        ResponseCompression onlyJson = new ResponseCompression(new ResponseCompression.Rules(
                List.of(), List.of("application/json"), 10), "gzip");
        assertThat(onlyJson.encodingFor(200, headers("Content-Type", "text/html"))).isNull();
        assertThat(onlyJson.encodingFor(200, headers("Content-Type", "application/json; charset=utf-8")))
                .isEqualTo("gzip");
    }

    @Test
    void addsVaryOnceForResponsesWhoseEncodingDependsOnTheRequest() {
        ResponseCompression none = new ResponseCompression(new ResponseCompression.Rules(List.of(), List.of(), 1),
                null);
        HttpHeaders small = headers("Content-Type", "text/plain", "Vary", "Origin");
        assertThat(none.encodingFor(200, small)).isNull();
        assertThat(small.getAll("Vary")).containsExactly("Origin", "Accept-Encoding");
        HttpHeaders already = headers("Vary", "origin, accept-encoding");
        none.encodingFor(200, already);
        assertThat(already.getAll("Vary")).containsExactly("origin, accept-encoding");
        HttpHeaders encoded = headers("Content-Encoding", "gzip");
        none.encodingFor(200, encoded);
        assertThat(encoded.contains("Vary")).isFalse();
    }

    @Test
    void thisPlatformHasTheNativeEncoders() {
        assertThat(ContentEncodings.detect().available()).containsExactlyElementsOf(
                Arrays.asList("zstd", "br", "gzip"));
    }
}
