package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.Future;
import io.sluice.proxy.balancer.LeastOutstandingTwoChoices;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The per-endpoint queue on its own: real event loops, real connections to a plain socket server on 127.0.0.1
 * (no HTTP is spoken; the tests only lease and release connections).
 */
class UpstreamQueueTest {
    private static final UpstreamSettings SETTINGS = UpstreamSettings.defaults();

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(2, NioIoHandler.newFactory());
    private final EventLoop loopA = (EventLoop) group.next();
    private final EventLoop loopB = (EventLoop) group.next();
    private final QueueRejections rejections = new QueueRejections();
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private final AtomicInteger acceptedCount = new AtomicInteger();
    private ServerSocket server;
    private Thread acceptor;

    @BeforeEach
    void startServer() throws IOException {
        assertThat(loopA).isNotSameAs(loopB);
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            while (!server.isClosed()) {
                try {
                    accepted.add(server.accept());
                    acceptedCount.incrementAndGet();
                } catch (IOException e) {
                    return;
                }
            }
        }, "queue-test-acceptor");
        acceptor.start();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        acceptor.join(2000);
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private UpstreamEndpoint endpoint(int limit, int queue, Duration timeout) {
        return new UpstreamEndpoint("127.0.0.1", server.getLocalPort(), limit, false, null, queue, timeout,
                rejections);
    }

    private static <T> T on(EventLoop loop, Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private static Future<UpstreamConnection> acquire(EventLoop loop, UpstreamEndpoint endpoint) throws Exception {
        return on(loop, () -> endpoint.pool(loop, NioSocketChannel.class).acquire(SETTINGS));
    }

    private static UpstreamConnection await(Future<UpstreamConnection> lease) {
        assertThat(lease.awaitUninterruptibly(5, TimeUnit.SECONDS)).as("lease completed").isTrue();
        assertThat(lease.cause()).isNull();
        return lease.getNow();
    }

    private static void release(EventLoop loop, UpstreamConnection connection, boolean reusable) throws Exception {
        on(loop, () -> {
            connection.release(reusable);
            return null;
        });
    }

    @Test
    void aWaiterGetsTheConnectionReleasedOnItsOwnLoopWithoutANewOne() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofSeconds(5));
        UpstreamConnection first = await(acquire(loopA, endpoint));
        Future<UpstreamConnection> waiting = acquire(loopA, endpoint);

        assertThat(waiting.isDone()).isFalse();
        assertThat(endpoint.queued()).isEqualTo(1);
        assertThat(endpoint.load()).as("balancer load counts the waiter").isEqualTo(2);

        release(loopA, first, true);
        assertThat(await(waiting)).isSameAs(first);
        assertThat(endpoint.queued()).isZero();
        assertThat(endpoint.outstanding()).isEqualTo(1);
        assertThat(endpoint.openConnections()).isEqualTo(1);
        assertThat(acceptedCount.get()).isEqualTo(1);
    }

    @Test
    void aFullQueueFailsAtOnce() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 2, Duration.ofSeconds(5));
        await(acquire(loopA, endpoint));
        Future<UpstreamConnection> second = acquire(loopA, endpoint);
        Future<UpstreamConnection> third = acquire(loopB, endpoint);
        Future<UpstreamConnection> fourth = acquire(loopB, endpoint);

        assertThat(second.isDone()).isFalse();
        assertThat(third.isDone()).isFalse();
        assertThat(fourth.isDone()).isTrue();
        assertThat(fourth.cause()).isInstanceOf(UpstreamLimitException.class);
        assertThat(((UpstreamLimitException) fourth.cause()).reason()).isEqualTo(UpstreamLimitException.Reason.FULL);
        assertThat(rejections.count(UpstreamLimitException.Reason.FULL)).isEqualTo(1);
        assertThat(endpoint.queued()).isEqualTo(2);
    }

    @Test
    void aWaiterTimesOutAfterTheQueueTimeout() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofMillis(300));
        await(acquire(loopA, endpoint));
        long start = System.nanoTime();
        Future<UpstreamConnection> waiting = acquire(loopB, endpoint);

        assertThat(waiting.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        long waitedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        assertThat(waitedMillis).isBetween(250L, 2000L);
        assertThat(((UpstreamLimitException) waiting.cause()).reason())
                .isEqualTo(UpstreamLimitException.Reason.TIMEOUT);
        assertThat(endpoint.queued()).isZero();
        assertThat(rejections.count(UpstreamLimitException.Reason.TIMEOUT)).isEqualTo(1);
    }

    @Test
    void aCancelledWaiterLeavesAndTheNextOneIsServed() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 1, Duration.ofSeconds(5));
        UpstreamConnection first = await(acquire(loopA, endpoint));
        Future<UpstreamConnection> gaveUp = acquire(loopA, endpoint);
        assertThat(acquire(loopA, endpoint).cause()).as("queue of one is full").isNotNull();

        assertThat(on(loopA, () -> gaveUp.cancel(false))).isTrue();
        assertThat(endpoint.queued()).isZero();
        Future<UpstreamConnection> next = acquire(loopA, endpoint);
        assertThat(next.isDone()).as("its place is free").isFalse();

        release(loopA, first, true);
        assertThat(await(next)).isSameAs(first);
    }

    @Test
    void anIdleConnectionOfAnotherLoopIsClosedToMakeRoom() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofSeconds(5));
        UpstreamConnection onA = await(acquire(loopA, endpoint));
        release(loopA, onA, true);
        assertThat(endpoint.idleConnections()).isEqualTo(1);

        UpstreamConnection onB = await(acquire(loopB, endpoint));

        assertThat(onB.channel().eventLoop()).isSameAs(loopB);
        assertThat(onA.channel().closeFuture().awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        // the pool forgets the closed connection on loop A just after its close future completes
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> {
            assertThat(endpoint.openConnections()).isEqualTo(1);
            assertThat(endpoint.idleConnections()).isZero();
        });
        assertThat(acceptedCount.get()).isEqualTo(2);
    }

    @Test
    void aConnectionReleasedOnAnotherLoopFreesItsSlotForTheWaiter() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofSeconds(5));
        UpstreamConnection onA = await(acquire(loopA, endpoint));
        Future<UpstreamConnection> onB = acquire(loopB, endpoint);
        assertThat(onB.isDone()).isFalse();

        release(loopA, onA, true); // reusable, but nobody on loop A waits: closed for loop B

        UpstreamConnection served = await(onB);
        assertThat(served.channel().eventLoop()).isSameAs(loopB);
        assertThat(onA.channel().isActive()).isFalse();
        assertThat(endpoint.openConnections()).isEqualTo(1);
    }

    @Test
    void waitersAreServedInArrivalOrder() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofSeconds(5));
        UpstreamConnection onA = await(acquire(loopA, endpoint));
        Future<UpstreamConnection> firstWaiter = acquire(loopB, endpoint);
        Future<UpstreamConnection> secondWaiter = acquire(loopB, endpoint);

        release(loopA, onA, false);

        UpstreamConnection served = await(firstWaiter);
        assertThat(secondWaiter.isDone()).isFalse();
        release(loopB, served, true);
        assertThat(await(secondWaiter)).isSameAs(served);
    }

    @Test
    void waitersOfARetiredEndpointGet503() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 4, Duration.ofSeconds(5));
        await(acquire(loopA, endpoint));
        Future<UpstreamConnection> waiting = acquire(loopB, endpoint);

        endpoint.retire();

        assertThat(waiting.awaitUninterruptibly(5, TimeUnit.SECONDS)).isTrue();
        assertThat(((UpstreamLimitException) waiting.cause()).reason())
                .isEqualTo(UpstreamLimitException.Reason.REMOVED);
        assertThat(endpoint.queued()).isZero();
        assertThat(rejections.count(UpstreamLimitException.Reason.REMOVED)).isEqualTo(1);
    }

    @Test
    void leastOutstandingBalancingCountsQueuedRequests() throws Exception {
        UpstreamEndpoint queued = endpoint(1, 4, Duration.ofSeconds(5));
        UpstreamEndpoint busy = endpoint(1, 4, Duration.ofSeconds(5));
        await(acquire(loopA, queued));
        acquire(loopA, queued);
        await(acquire(loopA, busy));
        assertThat(queued.outstanding()).isEqualTo(busy.outstanding());

        LeastOutstandingTwoChoices<UpstreamEndpoint> p2c = new LeastOutstandingTwoChoices<>(
                List.of(queued, busy), e -> 1, UpstreamEndpoint::load, bound -> 0);

        assertThat(p2c.pick()).as("same requests in flight, but one waits at the first").isSameAs(busy);
    }

    @Test
    void withoutAQueueTheLimitFailsAtOnce() throws Exception {
        UpstreamEndpoint endpoint = endpoint(1, 0, Duration.ofSeconds(5));
        await(acquire(loopA, endpoint));

        Future<UpstreamConnection> over = acquire(loopA, endpoint);

        assertThat(over.isDone()).isTrue();
        assertThat(over.cause()).isInstanceOf(UpstreamLimitException.class);
        assertThat(((UpstreamLimitException) over.cause()).reason()).isEqualTo(UpstreamLimitException.Reason.LIMIT);
        assertThat(UpstreamLimitException.Reason.values()).filteredOn(UpstreamLimitException.Reason::queued)
                .allSatisfy(queued -> assertThat(rejections.count(queued)).isZero());
    }

    @Test
    void anHttp2EndpointAtItsLimitFailsAtOnceWithoutQueueing() throws Exception {
        UpstreamEndpoint endpoint = new UpstreamEndpoint("127.0.0.1", server.getLocalPort(), 1, true, null, 8,
                Duration.ofSeconds(5), rejections);
        acquire(loopA, endpoint); // its connection takes the one slot

        Future<UpstreamConnection> otherLoop = acquire(loopB, endpoint);

        assertThat(otherLoop.isDone()).isTrue();
        assertThat(((UpstreamLimitException) otherLoop.cause()).reason())
                .isEqualTo(UpstreamLimitException.Reason.LIMIT);
        assertThat(endpoint.queued()).isZero();
    }
}
