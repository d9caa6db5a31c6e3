package io.sluice.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.e2e.support.KubeApi;
import io.sluice.e2e.support.ProxyProcess;
import io.sluice.e2e.support.SharedCluster;
import io.sluice.e2e.support.SluiceCluster;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Ingress host and path rules as the Kubernetes documentation defines them, served by real backends through both
 * proxies: the documentation's path-matching table (one Ingress per row, {@code ingress-paths/paths.yaml}),
 * wildcard hosts, and the default backend.
 */
@Order(2)
@ExtendWith(SharedCluster.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class IngressPathsE2E {
    private static final List<String> SERVICES = List.of("root", "foo-exact", "foo-slash-exact", "foo-prefix",
            "foo-slash-prefix", "aaa-bb", "aaa-bbb", "aaa-bbb-slash", "aaa", "wild", "fallback");

    private SluiceCluster cluster;

    @BeforeAll
    void applyTheTable(SluiceCluster cluster) throws Exception {
        this.cluster = cluster;
        cluster.namespace("paths");
        for (String service : SERVICES) {
            cluster.backend("paths", service);
        }
        cluster.api().applyResource("ingress-paths/paths.yaml");
        // every matching row served everywhere: from then on, a 404 is the routing's answer, not a late snapshot
        for (String[] row : MATCHING) {
            cluster.awaitEveryProxy(row[0], row[1], "200 " + row[2]);
        }
    }

    private static final String[][] MATCHING = {
        {"prefix-root.paths.e2e", "/anything/below", "root"},
        {"exact-foo.paths.e2e", "/foo", "foo-exact"},
        {"prefix-aaa-bbb.paths.e2e", "/aaa/bbb/ccc", "aaa-bbb"},
        {"mixed.paths.e2e", "/foo", "foo-exact"},
        {"a.wild.paths.e2e", "/", "wild"},
    };

    /** The table "Examples" under "Path types" in the Kubernetes Ingress documentation, row by row. */
    @ParameterizedTest(name = "{0} {1} -> {2}")
    @CsvSource({
        // Prefix /, (all paths): yes
        "prefix-root.paths.e2e, /, 200 root",
        "prefix-root.paths.e2e, /x/y?z=1, 200 root",
        // Exact /foo: /foo yes; /bar no; /foo/ no
        "exact-foo.paths.e2e, /foo, 200 foo-exact",
        "exact-foo.paths.e2e, /bar, 404 -",
        "exact-foo.paths.e2e, /foo/, 404 -",
        // Exact /foo/: /foo no
        "exact-foo-slash.paths.e2e, /foo, 404 -",
        "exact-foo-slash.paths.e2e, /foo/, 200 foo-slash-exact",
        // Prefix /foo: /foo, /foo/ yes
        "prefix-foo.paths.e2e, /foo, 200 foo-prefix",
        "prefix-foo.paths.e2e, /foo/, 200 foo-prefix",
        // Prefix /foo/: /foo, /foo/ yes
        "prefix-foo-slash.paths.e2e, /foo, 200 foo-slash-prefix",
        "prefix-foo-slash.paths.e2e, /foo/, 200 foo-slash-prefix",
        // Prefix /aaa/bb: /aaa/bbb no
        "prefix-aaa-bb.paths.e2e, /aaa/bbb, 404 -",
        // Prefix /aaa/bbb: /aaa/bbb yes; /aaa/bbb/ yes (matches trailing slash); /aaa/bbb/ccc yes (subpath);
        // /aaa/bbbxyz no (not a string prefix)
        "prefix-aaa-bbb.paths.e2e, /aaa/bbb, 200 aaa-bbb",
        "prefix-aaa-bbb.paths.e2e, /aaa/bbb/, 200 aaa-bbb",
        "prefix-aaa-bbb.paths.e2e, /aaa/bbb/ccc, 200 aaa-bbb",
        "prefix-aaa-bbb.paths.e2e, /aaa/bbbxyz, 404 -",
        // Prefix /aaa/bbb/: /aaa/bbb yes (ignores trailing slash)
        "prefix-aaa-bbb-slash.paths.e2e, /aaa/bbb, 200 aaa-bbb-slash",
        // Prefix /, /aaa: /aaa/ccc yes, matches /aaa; Prefix /, /aaa, /aaa/bbb: /aaa/bbb matches /aaa/bbb,
        // /ccc matches /
        "multi.paths.e2e, /aaa/ccc, 200 aaa",
        "multi.paths.e2e, /aaa/bbb, 200 aaa-bbb",
        "multi.paths.e2e, /ccc, 200 root",
        // Prefix /aaa: /ccc no (the default backend row: see below)
        "only-aaa.paths.e2e, /ccc, 404 -",
        // Mixed /foo Prefix and /foo Exact: /foo prefers Exact
        "mixed.paths.e2e, /foo, 200 foo-exact",
        "mixed.paths.e2e, /foo/bar, 200 foo-prefix",
        // hosts are case-insensitive
        "EXACT-FOO.Paths.E2E, /foo, 200 foo-exact",
        // *.wild takes exactly one extra label; a literal host beats the wildcard
        "a.wild.paths.e2e, /, 200 wild",
        "b.wild.paths.e2e, /x, 200 wild",
        "wild.paths.e2e, /, 404 -",
        "a.b.wild.paths.e2e, /, 404 -",
        "literal.wild.paths.e2e, /, 200 root",
        // a host no Ingress names
        "nobody.paths.e2e, /, 404 -",
    })
    void everyProxyAnswersLikeTheKubernetesDocumentation(String host, String path, String expected) {
        for (ProxyProcess proxy : cluster.proxies()) {
            assertThat(proxy.get(host, path).summary()).as("%s %s%s", proxy.name(), host, path).isEqualTo(expected);
        }
    }

    @Test
    void theDefaultBackendTakesWhatNoRuleMatches() {
        KubeApi api = cluster.api();
        api.applyResource("ingress-paths/default-backend.yaml");
        try {
            cluster.awaitEveryProxy("default.paths.e2e", "/ccc", "200 fallback");
            assertThat(cluster.proxy(0).get("default.paths.e2e", "/aaa/x").summary()).isEqualTo("200 aaa");
            // a rule of any Ingress, on any host, still beats the default backend
            assertThat(cluster.proxy(1).get("multi.paths.e2e", "/ccc").summary()).isEqualTo("200 root");
        } finally {
            api.deleteResource("ingress-paths/default-backend.yaml", Map.of());
        }
        cluster.awaitEveryProxy("default.paths.e2e", "/ccc", "404 -");
    }
}
