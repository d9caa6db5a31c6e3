package io.sluice.proxy.balancer;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.ToIntFunction;

/**
 * Power of two random choices, least outstanding requests: pick two distinct candidates at random and take the
 * one with fewer requests in flight. Nearly as good as scanning every candidate, without the herding a global
 * "least loaded" choice causes when many loops pick at once. Candidates of weight 0 are left out.
 */
public final class LeastOutstandingTwoChoices<T> implements Balancer<T> {
    private final List<T> items;
    private final ToIntFunction<T> outstanding;
    private final IntUnaryOperator random;

    /** With thread-local randomness. */
    public LeastOutstandingTwoChoices(List<T> candidates, ToIntFunction<T> weight, ToIntFunction<T> outstanding) {
        this(candidates, weight, outstanding, bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    /** @param random returns a number in {@code [0, bound)}; tests pass a fixed sequence */
    public LeastOutstandingTwoChoices(
            List<T> candidates, ToIntFunction<T> weight, ToIntFunction<T> outstanding, IntUnaryOperator random) {
        this.items = candidates.stream().filter(c -> weight.applyAsInt(c) > 0).toList();
        this.outstanding = outstanding;
        this.random = random;
    }

    @Override
    public T pick() {
        int n = items.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return items.get(0);
        }
        int a = random.applyAsInt(n);
        int b = random.applyAsInt(n - 1);
        if (b >= a) {
            b++;
        }
        T first = items.get(a);
        T second = items.get(b);
        return outstanding.applyAsInt(second) < outstanding.applyAsInt(first) ? second : first;
    }
}
