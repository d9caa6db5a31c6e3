package io.sluice.proxy.balancer;

import java.util.List;
import java.util.function.Predicate;
import java.util.function.ToIntFunction;

/**
 * Smooth weighted round robin (as in nginx): each pick adds every candidate's weight to its running score,
 * takes the highest score and subtracts the total from it. Over any window of {@code sum(weights)} picks each
 * candidate is chosen exactly weight times, and heavy candidates are spread out instead of picked in bursts.
 * Candidates of weight 0 are never picked. With an eligibility filter the same happens over the eligible
 * candidates only, so an unhealthy endpoint's share goes to the others in proportion to their weights.
 */
public final class SmoothWeightedRoundRobin<T> implements Balancer<T> {
    private final Object[] items;
    private final int[] weights;
    private final long[] scores;

    public SmoothWeightedRoundRobin(List<T> candidates, ToIntFunction<T> weight) {
        int n = candidates.size();
        this.items = new Object[n];
        this.weights = new int[n];
        this.scores = new long[n];
        for (int i = 0; i < n; i++) {
            items[i] = candidates.get(i);
            weights[i] = Math.max(0, weight.applyAsInt(candidates.get(i)));
        }
    }

    @Override
    public T pick() {
        return pick(any -> true);
    }

    @Override
    @SuppressWarnings("unchecked")
    public synchronized T pick(Predicate<? super T> eligible) {
        int best = -1;
        long total = 0;
        for (int i = 0; i < items.length; i++) {
            if (weights[i] == 0 || !eligible.test((T) items[i])) {
                continue;
            }
            total += weights[i];
            scores[i] += weights[i];
            if (best < 0 || scores[i] > scores[best]) {
                best = i;
            }
        }
        if (best < 0) {
            return null;
        }
        scores[best] -= total;
        return (T) items[best];
    }
}
