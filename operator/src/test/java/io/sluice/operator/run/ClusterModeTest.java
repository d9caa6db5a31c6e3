package io.sluice.operator.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.operator.push.ServiceRef;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClusterModeTest {
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return ClusterMode.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void unknownFlagExitsWithTwoAndSaysWhich() {
        assertThat(run("--proxy-admin-service", "sluice/admin", "--push-token-file", "/t", "--frobnicate", "x"))
                .isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("unknown flag --frobnicate", "usage:");
    }

    @Test
    void missingRequiredFlagsExitWithTwo() {
        assertThat(run("--push-token-file", "/t")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--proxy-admin-service is required");
        assertThat(run("--proxy-admin-service", "sluice/admin")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("--push-token-file is required");
    }

    @Test
    void badValuesExitWithTwo() {
        assertThat(run("--proxy-admin-service", "admin", "--push-token-file", "/t")).isEqualTo(2);
        assertThat(run("--proxy-admin-service", "a/b", "--push-token-file", "/t", "--health-port", "70000"))
                .isEqualTo(2);
        assertThat(run("--proxy-admin-service", "a/b", "--push-token-file")).isEqualTo(2);
        assertThat(err.toString(StandardCharsets.UTF_8)).contains("expected namespace/name",
                "must be a port number", "--push-token-file needs a value");
    }

    @Test
    void helpPrintsEveryFlag() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--proxy-admin-service", "--push-ca-file",
                "--publish-service", "--publish-address", "--watch-namespaces", "--allow-cross-namespace",
                "--leader-election-namespace", "--lease-name", "--no-leader-election", "--health-port");
    }

    @Test
    void parsesEveryFlagInBothForms() {
        ClusterFlags flags = ClusterFlags.parse(new String[] {"--proxy-admin-service=sluice/proxy-admin",
            "--push-token-file", "/run/token", "--push-ca-file=/run/ca.pem", "--ingress-class", "edge",
            "--publish-address", "203.0.113.7, lb.example.com", "--watch-namespaces=a,b",
            "--allow-cross-namespace", "--leader-election-namespace", "ops", "--lease-name", "edge-op",
            "--health-port", "9091", "--no-leader-election", "--default-certificate=ops/wildcard-tls"});
        assertThat(flags).isEqualTo(new ClusterFlags(new ServiceRef("sluice", "proxy-admin"), Path.of("/run/token"),
                Path.of("/run/ca.pem"), "edge", null, List.of("203.0.113.7", "lb.example.com"), List.of("a", "b"),
                true, false, "ops", "edge-op", 9091, "ops/wildcard-tls"));
        assertThatThrownBy(() -> ClusterFlags.parse(new String[] {"--proxy-admin-service", "s/a",
            "--push-token-file", "/t", "--default-certificate", "no-namespace"}))
                .hasMessageStartingWith("--default-certificate: ");
    }

    @Test
    void defaults() {
        ClusterFlags flags = ClusterFlags.parse(new String[] {"--proxy-admin-service", "s/a", "--push-token-file",
            "/t"});
        assertThat(flags.ingressClass()).isEqualTo("sluice");
        assertThat(flags.leaseName()).isEqualTo("sluice-operator");
        assertThat(flags.healthPort()).isEqualTo(8081);
        assertThat(flags.leaderElection()).isTrue();
        assertThat(flags.allowCrossNamespace()).isFalse();
        assertThat(flags.watchNamespaces()).isEmpty();
    }

    @Test
    void publishServiceAndAddressesExcludeEachOther() {
        assertThatThrownBy(() -> ClusterFlags.parse(new String[] {"--proxy-admin-service", "s/a",
            "--push-token-file", "/t", "--publish-service", "s/lb", "--publish-address", "1.2.3.4"}))
                .hasMessageContaining("not both");
    }
}
