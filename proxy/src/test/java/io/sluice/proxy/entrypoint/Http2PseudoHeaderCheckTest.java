package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http2.DefaultHttp2Headers;
import io.netty.handler.codec.http2.DefaultHttp2HeadersFrame;
import io.netty.handler.codec.http2.Http2Error;
import io.netty.handler.codec.http2.Http2ResetFrame;
import org.junit.jupiter.api.Test;

class Http2PseudoHeaderCheckTest {

    @Test
    void aHeadWithoutMethodOrPathIsMalformedExceptConnect() {
        assertThat(Http2PseudoHeaderCheck.malformed(new DefaultHttp2Headers().method("GET").path("/"))).isFalse();
        assertThat(Http2PseudoHeaderCheck.malformed(new DefaultHttp2Headers().method("GET"))).isTrue();
        assertThat(Http2PseudoHeaderCheck.malformed(new DefaultHttp2Headers().path("/"))).isTrue();
        assertThat(Http2PseudoHeaderCheck.malformed(new DefaultHttp2Headers().method("CONNECT")
                .authority("example.com:443"))).isFalse();
    }

    @Test
    void aMalformedHeadIsResetAndNotPassedOnWhileTrailersPass() {
        EmbeddedChannel bad = new EmbeddedChannel(new Http2PseudoHeaderCheck());
        bad.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers(false).method("GET"), true));
        assertThat((Object) bad.readInbound()).isNull();
        Http2ResetFrame reset = bad.readOutbound();
        assertThat(reset.errorCode()).isEqualTo(Http2Error.PROTOCOL_ERROR.code());

        EmbeddedChannel good = new EmbeddedChannel(new Http2PseudoHeaderCheck());
        good.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().method("GET").path("/"), false));
        good.writeInbound(new DefaultHttp2HeadersFrame(new DefaultHttp2Headers().add("grpc-status", "0"), true));
        assertThat((Object) good.readInbound()).isNotNull();
        assertThat((Object) good.readInbound()).as("trailers are not a request head").isNotNull();
        assertThat((Object) good.readOutbound()).isNull();
    }
}
