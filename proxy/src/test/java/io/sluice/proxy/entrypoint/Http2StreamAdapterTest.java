package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFuture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.http.DefaultFullHttpRequest;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpContent;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpContent;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class Http2StreamAdapterTest {
    private final EmbeddedChannel stream = new EmbeddedChannel(new Http2StreamAdapter());

    @AfterEach
    void finish() {
        stream.finishAndReleaseAll();
    }

    private void request(String contentType) {
        DefaultFullHttpRequest request = new DefaultFullHttpRequest(HttpVersion.HTTP_1_1, HttpMethod.POST, "/a",
                Unpooled.copiedBuffer("hi", StandardCharsets.UTF_8));
        request.headers().add("host", "app.test").add("host", "other.test").add("x-http2-stream-id", "3")
                .add("x-http2-scheme", "http");
        if (contentType != null) {
            request.headers().set("content-type", contentType);
        }
        stream.writeInbound(request);
    }

    @Test
    void aRequestEndedByItsHeadersBecomesHeadAndLastContentWithoutBookkeepingHeaders() {
        request(null);
        HttpRequest head = stream.readInbound();
        assertThat(head).isNotInstanceOf(LastHttpContent.class);
        assertThat(head.headers().getAll("host")).containsExactly("app.test");
        assertThat(head.headers().names()).noneMatch(name -> name.startsWith("x-http2"));
        LastHttpContent last = stream.readInbound();
        assertThat(last.content().toString(StandardCharsets.UTF_8)).isEqualTo("hi");
        last.release();
    }

    @Test
    void anInterimResponseIsSentWholeAndItsEmptyEndDropped() {
        request(null);
        stream.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
        stream.inboundMessages().clear();
        stream.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.CONTINUE));
        stream.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        stream.writeOutbound(new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK));
        FullHttpResponse interim = stream.readOutbound();
        assertThat(interim.status().code()).isEqualTo(100);
        interim.release();
        HttpResponse finalHead = stream.readOutbound();
        assertThat(finalHead.status().code()).isEqualTo(200);
        assertThat((Object) stream.readOutbound()).isNull();
    }

    @Test
    void aFlushBufferIsDroppedAndItsWriteSucceeds() {
        ChannelFuture written = stream.writeAndFlush(Unpooled.EMPTY_BUFFER);
        assertThat(written.isSuccess()).isTrue();
        assertThat((Object) stream.readOutbound()).isNull();
    }

    @Test
    void proxyAnswersToGrpcRequestsBecomeTrailersOnlyGrpcErrors() {
        request("application/grpc+proto");
        stream.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
        stream.inboundMessages().clear();
        stream.writeOutbound(new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.SERVICE_UNAVAILABLE, Unpooled.copiedBuffer("no available endpoint\n",
                        StandardCharsets.UTF_8)));
        FullHttpResponse answer = stream.readOutbound();
        assertThat(answer.status().code()).isEqualTo(200);
        assertThat(answer.content().isReadable()).isFalse();
        assertThat(answer.headers().get("content-type")).isEqualTo("application/grpc");
        assertThat(answer.headers().get("grpc-status")).isEqualTo("14");
        assertThat(answer.headers().get("grpc-message")).isEqualTo("no%20available%20endpoint");
        answer.release();
    }

    @Test
    void aBackendTrailersOnlyResponseStaysOneHeadersFrame() {
        request("application/grpc");
        stream.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
        stream.inboundMessages().clear();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("grpc-status", "5").set("content-type", "application/grpc");
        stream.writeOutbound(head);
        assertThat((Object) stream.readOutbound()).as("held until the end is known").isNull();
        stream.writeOutbound(LastHttpContent.EMPTY_LAST_CONTENT);
        FullHttpResponse whole = stream.readOutbound();
        assertThat(whole.headers().get("grpc-status")).isEqualTo("5");
        assertThat(whole.content().isReadable()).isFalse();
        whole.release();
    }

    @Test
    void aGrpcHeadFollowedByABodyIsPassedOnInOrder() {
        request("application/grpc");
        stream.inboundMessages().forEach(io.netty.util.ReferenceCountUtil::release);
        stream.inboundMessages().clear();
        HttpResponse head = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
        head.headers().set("grpc-status", "0");
        stream.writeOutbound(head);
        stream.writeOutbound(new DefaultHttpContent(Unpooled.copiedBuffer("m", StandardCharsets.UTF_8)));
        assertThat((Object) stream.readOutbound()).isSameAs(head);
        HttpContent content = stream.readOutbound();
        assertThat(content.content().toString(StandardCharsets.UTF_8)).isEqualTo("m");
        content.release();
    }
}
