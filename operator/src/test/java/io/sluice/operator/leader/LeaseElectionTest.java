package io.sluice.operator.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.server.mock.EnableKubernetesMockClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

@EnableKubernetesMockClient(crud = true)
class LeaseElectionTest {
    private static final LeaseElection.LeaseTimings FAST = new LeaseElection.LeaseTimings(
            Duration.ofMillis(8000), Duration.ofMillis(6000), Duration.ofMillis(200), false); // slack for a loaded CI machine

    KubernetesClient client;

    @Test
    void aSecondReplicaTakesOverWithAHigherEpochWhenTheFirstStopsRenewing() {
        List<String> events = Collections.synchronizedList(new ArrayList<>());
        LeaseElection first = election("op-a-1", events);
        LeaseElection second = election("op-b-1", events);
        try {
            first.start();
            await().atMost(Duration.ofSeconds(30)).until(() -> first.epoch().isPresent());
            long firstEpoch = first.epoch().getAsLong();
            second.start();
            await().during(Duration.ofMillis(800)).atMost(Duration.ofSeconds(5))
                    .until(() -> second.epoch().isEmpty());

            first.close(); // stops renewing without releasing: like a crashed or partitioned leader
            await().atMost(Duration.ofSeconds(30)).until(() -> second.epoch().isPresent());
            assertThat(second.epoch().getAsLong()).isGreaterThan(firstEpoch);
            assertThat(client.leases().inNamespace("sluice").withName("sluice-operator").get().getSpec()
                    .getHolderIdentity()).isEqualTo("op-b-1");
            assertThat(events).startsWith("op-a-1 leads " + firstEpoch)
                    .contains("op-b-1 leads " + second.epoch().getAsLong());
        } finally {
            first.close();
            second.close();
        }
    }

    private LeaseElection election(String identity, List<String> events) {
        return new LeaseElection(client, "sluice", "sluice-operator", identity, FAST,
                epoch -> events.add(identity + " leads " + epoch), () -> events.add(identity + " stopped"));
    }
}
