package io.sluice.proxy.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.EventLoop;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioSocketChannel;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Pooled keep-alive connections to a real socket are closed once idle longer than their timeout, and only then. */
class PooledIdleExpiryTest {
    private static final Duration IDLE = Duration.ofMillis(300);

    private final MultiThreadIoEventLoopGroup group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    private final List<Socket> accepted = new CopyOnWriteArrayList<>();
    private ServerSocket backend;
    private Thread acceptor;
    private EventLoop loop;
    private UpstreamEndpoint endpoint;
    private UpstreamPool pool;

    @BeforeEach
    void start() throws IOException {
        backend = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(() -> {
            try {
                while (true) {
                    accepted.add(backend.accept());
                }
            } catch (IOException closed) {
                // the test is over
            }
        });
        acceptor.start();
        loop = group.next();
        endpoint = new UpstreamEndpoint("127.0.0.1", backend.getLocalPort(), 10);
        pool = endpoint.pool(loop, NioSocketChannel.class);
    }

    @AfterEach
    void stop() throws Exception {
        backend.close();
        for (Socket socket : accepted) {
            socket.close();
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    private static UpstreamSettings settings(Duration idle) {
        return new UpstreamSettings(Duration.ofSeconds(2), Duration.ofSeconds(5), idle, 10, 32 * 1024);
    }

    private <T> T onLoop(Callable<T> task) throws Exception {
        return loop.submit(task).get(5, TimeUnit.SECONDS);
    }

    private UpstreamConnection lease(Duration idle) throws Exception {
        return onLoop(() -> pool.acquire(settings(idle))).get(5, TimeUnit.SECONDS);
    }

    private void release(UpstreamConnection connection) throws Exception {
        onLoop(() -> {
            connection.release(true);
            return null;
        });
    }

    @Test
    void anIdlePooledConnectionIsClosedAfterItsTimeoutNotBefore() throws Exception {
        UpstreamConnection connection = lease(IDLE);
        long pooledAt = System.nanoTime();
        release(connection);
        assertThat(pool.idleCount()).isEqualTo(1);

        assertThat(connection.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        long idleMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pooledAt);
        assertThat(idleMillis).isGreaterThanOrEqualTo(IDLE.toMillis() - 20);
        assertThat(pool.idleCount()).isZero();
        assertThat(onLoop(() -> endpoint.openConnections())).isZero();
    }

    @Test
    void aConnectionLeasedAgainIsNotClosedByTheCheckOfItsEarlierIdleSpell() throws Exception {
        UpstreamConnection connection = lease(IDLE);
        release(connection);
        Thread.sleep(IDLE.toMillis() / 2);
        UpstreamConnection again = lease(IDLE);
        assertThat(again).isSameAs(connection);

        Thread.sleep(IDLE.toMillis() * 2); // leased all along: the earlier spell's deadline passes
        assertThat(again.channel().isActive()).isTrue();

        long pooledAt = System.nanoTime();
        release(again);
        assertThat(again.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - pooledAt))
                .isGreaterThanOrEqualTo(IDLE.toMillis() - 20);
    }

    @Test
    void connectionsExpireEachAtItsOwnTimeAndAZeroTimeoutKeepsThemOpen() throws Exception {
        UpstreamConnection kept = lease(Duration.ZERO);
        UpstreamConnection first = lease(IDLE);
        UpstreamConnection second = lease(IDLE);
        release(kept);
        release(first);
        Thread.sleep(IDLE.toMillis() / 2);
        release(second);

        assertThat(first.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(second.channel().isActive()).as("pooled half a timeout later, still within it").isTrue();
        assertThat(second.channel().closeFuture().await(5, TimeUnit.SECONDS)).isTrue();
        Thread.sleep(IDLE.toMillis());
        assertThat(kept.channel().isActive()).isTrue();
        assertThat(pool.idleCount()).isEqualTo(1);
    }
}
