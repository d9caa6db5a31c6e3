package io.sluice.operator.push;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class BackoffTest {

    @Test
    void doublesFrom200msUpTo10s() {
        assertThat(Backoff.DEFAULT.ceilingMillis(1)).isEqualTo(200);
        assertThat(Backoff.DEFAULT.ceilingMillis(2)).isEqualTo(400);
        assertThat(Backoff.DEFAULT.ceilingMillis(6)).isEqualTo(6400);
        assertThat(Backoff.DEFAULT.ceilingMillis(7)).isEqualTo(10_000);
        assertThat(Backoff.DEFAULT.ceilingMillis(1000)).isEqualTo(10_000);
    }

    @Test
    void jitterStaysInTheUpperHalfAndVaries() {
        SplittableRandom random = new SplittableRandom(42);
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 1000; i++) {
            long delay = Backoff.DEFAULT.delay(3, random).toMillis();
            min = Math.min(min, delay);
            max = Math.max(max, delay);
        }
        assertThat(min).isGreaterThanOrEqualTo(400);
        assertThat(max).isLessThanOrEqualTo(800);
        assertThat(max - min).isGreaterThan(300);
        assertThat(new Backoff(Duration.ofMillis(50), Duration.ofMillis(50)).delay(9, random).toMillis())
                .isBetween(25L, 50L);
    }
}
