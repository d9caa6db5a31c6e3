package io.sluice.proxy.balancer;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class BalancerTest {

    record Node(String name, int weight, int outstanding) {
    }

    @Test
    void smoothRoundRobinHonoursWeightsAndSpreadsPicks() {
        List<Node> nodes = List.of(new Node("a", 5, 0), new Node("b", 1, 0), new Node("c", 1, 0));
        SmoothWeightedRoundRobin<Node> wrr = new SmoothWeightedRoundRobin<>(nodes, Node::weight);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 7; i++) {
            picks.add(wrr.pick().name());
        }
        // nginx's documented sequence for weights 5,1,1
        assertThat(picks).containsExactly("a", "a", "b", "a", "c", "a", "a");
    }

    @Test
    void zeroWeightIsNeverPickedAndAllZeroPicksNothing() {
        SmoothWeightedRoundRobin<Node> wrr = new SmoothWeightedRoundRobin<>(
                List.of(new Node("a", 0, 0), new Node("b", 2, 0)), Node::weight);
        for (int i = 0; i < 10; i++) {
            assertThat(wrr.pick().name()).isEqualTo("b");
        }
        assertThat(new SmoothWeightedRoundRobin<>(List.of(new Node("a", 0, 0)), Node::weight).pick()).isNull();
        assertThat(new SmoothWeightedRoundRobin<Node>(List.of(), Node::weight).pick()).isNull();
    }

    @Test
    void twoChoicesTakesTheLessLoadedOfTheTwoDrawn() {
        List<Node> nodes = List.of(new Node("a", 1, 9), new Node("b", 1, 2), new Node("c", 1, 5));
        AtomicInteger draw = new AtomicInteger();
        int[] sequence = {0, 0, 2, 0}; // second draw skips the first index
        LeastOutstandingTwoChoices<Node> p2c = new LeastOutstandingTwoChoices<>(
                nodes, Node::weight, Node::outstanding, bound -> sequence[draw.getAndIncrement() % 4] % bound);
        assertThat(p2c.pick().name()).isEqualTo("b"); // a(9) vs b(2)
        assertThat(p2c.pick().name()).isEqualTo("c"); // c(5) vs a(9)
    }

    @Test
    void twoChoicesNeverPicksTheSameCandidateTwiceAndSkipsZeroWeight() {
        List<Node> nodes = List.of(new Node("a", 1, 3), new Node("b", 0, 0));
        LeastOutstandingTwoChoices<Node> p2c = new LeastOutstandingTwoChoices<>(nodes, Node::weight,
                Node::outstanding);
        assertThat(p2c.pick().name()).isEqualTo("a");
        assertThat(new LeastOutstandingTwoChoices<Node>(List.of(), Node::weight, Node::outstanding).pick()).isNull();
    }

    @Test
    void smoothRoundRobinOverTheEligibleOnlyKeepsTheirProportions() {
        List<Node> nodes = List.of(new Node("a", 2, 0), new Node("b", 1, 0), new Node("down", 5, 0));
        SmoothWeightedRoundRobin<Node> wrr = new SmoothWeightedRoundRobin<>(nodes, Node::weight);
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 9; i++) {
            picks.add(wrr.pick(n -> !n.name().equals("down")).name());
        }
        assertThat(Collections.frequency(picks, "a")).isEqualTo(6);
        assertThat(Collections.frequency(picks, "b")).isEqualTo(3);
        assertThat(wrr.pick(n -> false)).isNull();
    }

    @Test
    void twoChoicesNeverReturnsAnIneligibleCandidate() {
        List<Node> nodes = List.of(new Node("a", 1, 0), new Node("b", 1, 5), new Node("c", 1, 7));
        LeastOutstandingTwoChoices<Node> p2c = new LeastOutstandingTwoChoices<>(nodes, Node::weight,
                Node::outstanding);
        for (int i = 0; i < 50; i++) {
            assertThat(p2c.pick(n -> !n.name().equals("a")).name()).isIn("b", "c");
        }
        assertThat(p2c.pick(n -> n.name().equals("c")).name()).isEqualTo("c");
        assertThat(p2c.pick(n -> false)).isNull();
    }

    @Test
    void weightedServiceSplitsByWeightAndSkipsAChildWithoutEndpoints() {
        UpstreamTarget stable = target("stable");
        UpstreamTarget canary = target("canary");
        WeightedService split = new WeightedService(List.of(
                new WeightedService.Child(cookies -> stable, 3), new WeightedService.Child(cookies -> canary, 1)));
        List<String> picks = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            picks.add(split.pick().serviceId());
        }
        assertThat(Collections.frequency(picks, "stable")).isEqualTo(6);
        assertThat(Collections.frequency(picks, "canary")).isEqualTo(2);

        WeightedService emptyCanary = new WeightedService(List.of(
                new WeightedService.Child(cookies -> stable, 1), new WeightedService.Child(cookies -> null, 1)));
        for (int i = 0; i < 4; i++) {
            assertThat(emptyCanary.pick()).isSameAs(stable);
        }
    }

    @Test
    void mirroringKeepsTheMainPickAndAddsMirrorsByPercent() {
        UpstreamTarget main = target("main");
        UpstreamTarget copy = target("copy");
        int[] draws = {10, 60, 10, 60};
        AtomicInteger draw = new AtomicInteger();
        MirroringService mirroring = new MirroringService(cookies -> main, List.of(
                new MirroringService.Mirror(cookies -> copy, 50), new MirroringService.Mirror(cookies -> null, 100),
                new MirroringService.Mirror(cookies -> copy, 0)), 1024, bound -> draws[draw.getAndIncrement() % 4]);
        UpstreamTarget first = mirroring.pick();
        assertThat(first.endpoint()).isSameAs(main.endpoint());
        assertThat(first.mirror().targets()).containsExactly(copy); // 10 < 50; the endpoint-less mirror skipped
        assertThat(first.mirror().maxBodySize()).isEqualTo(1024);
        draw.set(1);
        assertThat(mirroring.pick().mirror()).isNull(); // 60 >= 50, nothing else to copy to
        assertThat(new MirroringService(cookies -> null, List.of(), 1).pick()).isNull();
    }

    private static UpstreamTarget target(String service) {
        return new UpstreamTarget(service,
                new io.sluice.proxy.upstream.UpstreamEndpoint("127.0.0.1", 1, 1), true,
                io.sluice.proxy.upstream.UpstreamSettings.defaults());
    }

}
