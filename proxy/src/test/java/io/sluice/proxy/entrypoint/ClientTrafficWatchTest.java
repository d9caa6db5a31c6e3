package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientTrafficWatchTest {
    private static final long HEAD_TIMEOUT = 10_000;

    private final List<IdleStateEvent> events = new CopyOnWriteArrayList<>();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private EmbeddedChannel channel;
    private ClientTrafficWatch watch;

    /** The watch, then a stand-in for the codec (the 408 is written from its place), then the exchange. */
    private void open(long headTimeoutMillis, long idleTimeoutMillis) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        watch = new ClientTrafficWatch(new ByteCounter(registry, "web"), headTimeoutMillis, idleTimeoutMillis);
        channel.pipeline().addLast(EntrypointServer.WATCH, watch);
        channel.pipeline().addLast(EntrypointServer.CODEC, new ChannelDuplexHandler());
        channel.pipeline().addLast(new ChannelDuplexHandler() {
            @Override
            public void userEventTriggered(ChannelHandlerContext ctx, Object evt) {
                if (evt instanceof IdleStateEvent) {
                    events.add((IdleStateEvent) evt);
                }
            }

            @Override
            public void channelRead(ChannelHandlerContext ctx, Object msg) {
                ReferenceCountUtil.release(msg);
            }
        });
        channel.pipeline().fireChannelActive();
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    private void receive(String text) {
        channel.writeInbound(Unpooled.copiedBuffer(text, StandardCharsets.US_ASCII));
    }

    private String sent() {
        StringBuilder all = new StringBuilder();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            all.append(((ByteBuf) out).toString(StandardCharsets.US_ASCII));
            ReferenceCountUtil.release(out);
        }
        return all.toString();
    }

    @Test
    void aSilentConnectionIsIdleAfterTheTimeoutAndAgainEveryTimeoutAfter() {
        open(HEAD_TIMEOUT * 10, 1_000);
        advance(999);
        assertThat(events).isEmpty();
        advance(1);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        advance(1_000);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
                IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Test
    void readsPostponeTheIdleTimeout() {
        open(HEAD_TIMEOUT * 10, 1_000);
        advance(800);
        receive("G");
        advance(800);
        assertThat(events).isEmpty();
        advance(200);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void flushedWritesPostponeTheIdleTimeoutAndActivityMakesTheNextEventAFirstOneAgain() {
        open(HEAD_TIMEOUT * 10, 1_000);
        advance(1_000);
        assertThat(events).hasSize(1);
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {'H'}));
        sent();
        advance(999);
        assertThat(events).hasSize(1);
        advance(1);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
                IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void zeroIdleTimeoutNeverTimesOut() {
        open(HEAD_TIMEOUT * 1_000, 0);
        advance(TimeUnit.HOURS.toMillis(1));
        assertThat(events).isEmpty();
    }

    @Test
    void aHeadNotCompleteInTimeGets408AndTheConnectionCloses() {
        open(HEAD_TIMEOUT, 60_000);
        advance(HEAD_TIMEOUT - 1_000);
        receive("GET / HTTP/1.1\r\n"); // trickling does not extend the deadline
        advance(999);
        assertThat(channel.isOpen()).isTrue();
        assertThat(sent()).isEmpty();
        advance(1);
        assertThat(sent()).startsWith("HTTP/1.1 408 Request Timeout\r\n").contains("Connection: close");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void aDecodedHeadStopsTheDeadlineAndTheNextRequestsFirstByteStartsAnother() {
        open(HEAD_TIMEOUT, 600_000);
        receive("GET / HTTP/1.1\r\n\r\n");
        watch.headReceived();
        advance(HEAD_TIMEOUT * 3); // a slow backend: no head is awaited meanwhile
        assertThat(channel.isOpen()).isTrue();
        watch.awaitNextHead();
        advance(HEAD_TIMEOUT * 3); // an idle keep-alive connection is the idle timeout's business
        assertThat(channel.isOpen()).isTrue();
        receive("G");
        advance(HEAD_TIMEOUT);
        assertThat(sent()).startsWith("HTTP/1.1 408");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void afterASwitchToHttp2NoHeadIsAwaitedButIdlenessStillCounts() {
        open(HEAD_TIMEOUT, HEAD_TIMEOUT * 2);
        watch.http2();
        advance(HEAD_TIMEOUT * 2);
        assertThat(sent()).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void aRelayedConnectionHasNeitherDeadlineButItsBytesStillCount() {
        open(HEAD_TIMEOUT, 1_000);
        watch.relay();
        receive("raw bytes");
        channel.writeOutbound(Unpooled.copiedBuffer("12345", StandardCharsets.US_ASCII));
        sent();
        advance(HEAD_TIMEOUT * 5);
        assertThat(events).isEmpty();
        assertThat(channel.isOpen()).isTrue();
        assertThat(registry.get("sluice.bytes.in").counter().count()).isEqualTo(9);
        assertThat(registry.get("sluice.bytes.out").counter().count()).isEqualTo(5);
    }

    @Test
    void countsTheBytesAtTheSocketBothWays() {
        open(HEAD_TIMEOUT, 60_000);
        receive("GET / HTTP/1.1\r\n\r\n");
        channel.writeOutbound(Unpooled.copiedBuffer("HTTP/1.1 204 No Content\r\n\r\n", StandardCharsets.US_ASCII));
        sent();
        assertThat(registry.get("sluice.bytes.in").tag("entrypoint", "web").counter().count()).isEqualTo(18);
        assertThat(registry.get("sluice.bytes.out").tag("entrypoint", "web").counter().count()).isEqualTo(27);
    }
}
