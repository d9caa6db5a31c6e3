package io.sluice.snapshot;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class TcpSnapshotTest {
    private final SnapshotCodec codec = new SnapshotCodec();
    private final SnapshotValidator validator = new SnapshotValidator();

    private static RoutingSnapshot withTcp(List<TcpRouter> routers, List<TcpService> services) {
        return RoutingSnapshot.empty(new SnapshotVersion(1, 2)).withTcp(routers, services);
    }

    private static TcpService db() {
        return new TcpService("tcp/default/db", List.of(
                new TcpService.Backend("default/db:5432", 3, List.of(Endpoint.ready("10.0.0.1", 5432))),
                new TcpService.Backend("default/db-b:5432", 1, List.of(Endpoint.ready("10.0.0.2", 5432)))));
    }

    @Test
    void roundTripsTcpRoutersAndServices() throws Exception {
        RoutingSnapshot snapshot = withTcp(List.of(new TcpRouter("ingressroutetcp/default/db/0",
                List.of("websecure"), List.of("db.example.com", "*"), List.of("^[a-z]+\\.example\\.org$"), 12,
                "tcp/default/db")), List.of(db()));
        assertThat(validator.validate(snapshot)).isEmpty();
        assertThat(codec.decode(codec.encode(snapshot))).isEqualTo(snapshot);
        assertThat(codec.contentHash(snapshot))
                .isNotEqualTo(codec.contentHash(RoutingSnapshot.empty(new SnapshotVersion(1, 2))));
    }

    @Test
    void aSnapshotWithoutTcpRoutesEncodesAsBefore() {
        RoutingSnapshot plain = RoutingSnapshot.empty(new SnapshotVersion(1, 1));
        assertThat(codec.encodeToString(plain)).doesNotContain("tcpRouters", "tcpServices");
        assertThat(plain.withVersion(new SnapshotVersion(2, 1)).withTcp(List.of(), List.of()).tcpRouters()).isEmpty();
    }

    @Test
    void withVersionKeepsTheTcpRoutes() {
        RoutingSnapshot snapshot = withTcp(List.of(new TcpRouter("r", List.of(), List.of("*"), List.of(), 0,
                "tcp/default/db")), List.of(db()));
        assertThat(snapshot.withVersion(new SnapshotVersion(5, 5)).tcpRouters()).isEqualTo(snapshot.tcpRouters());
        assertThat(snapshot.withVersion(new SnapshotVersion(5, 5)).tcpServices()).isEqualTo(snapshot.tcpServices());
    }

    @Test
    void namesEveryProblemOfTcpRoutes() {
        RoutingSnapshot snapshot = withTcp(List.of(
                new TcpRouter("a", List.of(" "), List.of("Bad_Name", "*.wild.com"), List.of("(unclosed"), 0,
                        "missing"),
                new TcpRouter("a", List.of(), List.of(), List.of(), 0, "tcp/default/db"),
                new TcpRouter("c", List.of(), List.of("*"), List.of(), 0, "empty")),
                List.of(db(), new TcpService("empty", List.of()), new TcpService("neg", List.of(
                        new TcpService.Backend("x", -1, List.of(new Endpoint("", 0, 1, true, true, false)))))));
        assertThat(validator.validate(snapshot)).containsExactlyInAnyOrder(
                "tcp service empty: no backends",
                "tcp service neg: backend x has negative weight",
                "tcp service neg: endpoint  has invalid port 0",
                "tcp service neg: endpoint with empty address",
                "tcp router a: unknown tcp service \"missing\"",
                "tcp router a: HostSNI \"Bad_Name\" is neither a lower-case DNS name nor *",
                "tcp router a: HostSNI \"*.wild.com\" is neither a lower-case DNS name nor *",
                "tcp router a: HostSNIRegexp \"(unclosed\" is not a valid RE2 expression: missing closing )",
                "tcp router a: blank entrypoint name",
                "tcp router a: duplicate id",
                "tcp router a: no HostSNI or HostSNIRegexp");
    }
}
