package io.sluice.proxy.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;
import java.util.function.Predicate;
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
        return choose(items);
    }

    /** Draws among all candidates; only when a drawn one is not eligible does it narrow to the eligible ones. */
    @Override
    public T pick(Predicate<? super T> eligible) {
        T picked = choose(items);
        if (picked == null || eligible.test(picked)) {
            return picked;
        }
        List<T> usable = new ArrayList<>(items.size());
        for (T item : items) {
            if (eligible.test(item)) {
                usable.add(item);
            }
        }
        return choose(usable);
    }

    private T choose(List<T> from) {
        int n = from.size();
        if (n == 0) {
            return null;
        }
        if (n == 1) {
            return from.get(0);
        }
        int a = random.applyAsInt(n);
        int b = random.applyAsInt(n - 1);
        if (b >= a) {
            b++;
        }
        T first = from.get(a);
        T second = from.get(b);
        return outstanding.applyAsInt(second) < outstanding.applyAsInt(first) ? second : first;
    }
}
