package io.sluice.proxy.entrypoint;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.embedded.EmbeddedChannel;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LazyDeadlineTest {
    private final EmbeddedChannel channel = new EmbeddedChannel();
    private final AtomicInteger fired = new AtomicInteger();
    private LazyDeadline deadline;

    @BeforeEach
    void setUp() {
        channel.freezeTime();
        deadline = new LazyDeadline(channel.eventLoop(), fired::incrementAndGet);
    }

    private void advance(long millis) {
        channel.advanceTimeBy(millis, TimeUnit.MILLISECONDS);
        channel.runScheduledPendingTasks();
    }

    @Test
    void firesOnceWhenTheDeadlinePassesAndNotBefore() {
        deadline.arm(100);
        advance(99);
        assertThat(fired).hasValue(0);
        advance(1);
        assertThat(fired).hasValue(1);
        advance(1000);
        assertThat(fired).hasValue(1);
        assertThat(deadline.armed()).isFalse();
    }

    @Test
    void aDisarmedDeadlineNeverFires() {
        deadline.arm(100);
        deadline.disarm();
        advance(500);
        assertThat(fired).hasValue(0);
    }

    @Test
    void reArmingMovesTheDeadlineLater() {
        deadline.arm(100);
        advance(60);
        deadline.arm(100); // due at 160 now
        advance(40);
        assertThat(fired).hasValue(0);
        advance(59);
        assertThat(fired).hasValue(0);
        advance(1);
        assertThat(fired).hasValue(1);
    }

    @Test
    void aShorterTimeoutBringsTheCheckForward() {
        deadline.arm(1000);
        deadline.arm(10);
        advance(10);
        assertThat(fired).hasValue(1);
    }

    @Test
    void closeLeavesNothingScheduledAfterManyArmings() {
        for (int request = 0; request < 1000; request++) {
            deadline.arm(100);
            deadline.disarm();
        }
        deadline.close();
        // close removed the one pending check: nothing is left on the loop's timer queue
        assertThat(channel.runScheduledPendingTasks()).isEqualTo(-1L);
        advance(200);
        assertThat(fired).hasValue(0);
    }
}
