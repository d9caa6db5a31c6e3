package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.timeout.IdleStateEvent;
import io.netty.util.ReferenceCountUtil;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientIdleTimeoutHandlerTest {
    private final List<IdleStateEvent> events = new CopyOnWriteArrayList<>();
    private EmbeddedChannel channel;

    private void open(long timeoutMillis) {
        channel = new EmbeddedChannel();
        channel.freezeTime();
        channel.pipeline().addLast(new ClientIdleTimeoutHandler(timeoutMillis), new ChannelInboundHandlerAdapter() {
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
    }

    @AfterEach
    void close() {
        channel.finishAndReleaseAll();
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void aSilentConnectionIsIdleAfterTheTimeoutAndAgainEveryTimeoutAfter() {
        open(1_000);
        advance(999);
        assertThat(events).isEmpty();
        advance(1);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
        advance(1_000);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
                IdleStateEvent.ALL_IDLE_STATE_EVENT);
    }

    @Test
    void readsPostponeTheTimeout() {
        open(1_000);
        advance(800);
        channel.writeInbound(Unpooled.wrappedBuffer(new byte[] {'G'}));
        advance(800);
        assertThat(events).isEmpty();
        advance(200);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void writesPostponeTheTimeoutAndActivityMakesTheNextEventAFirstOneAgain() {
        open(1_000);
        advance(1_000);
        assertThat(events).hasSize(1);
        channel.writeOutbound(Unpooled.wrappedBuffer(new byte[] {'H'}));
        ReferenceCountUtil.release(channel.readOutbound());
        advance(999);
        assertThat(events).hasSize(1);
        advance(1);
        assertThat(events).containsExactly(IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT,
                IdleStateEvent.FIRST_ALL_IDLE_STATE_EVENT);
    }

    @Test
    void aClosedOrUpgradedConnectionFiresNothing() {
        open(1_000);
        channel.pipeline().remove(ClientIdleTimeoutHandler.class); // a WebSocket upgrade removes it
        advance(5_000);
        assertThat(events).isEmpty();
    }

    @Test
    void zeroNeverTimesOut() {
        open(0);
        advance(TimeUnit.HOURS.toMillis(1));
        assertThat(events).isEmpty();
    }
}
