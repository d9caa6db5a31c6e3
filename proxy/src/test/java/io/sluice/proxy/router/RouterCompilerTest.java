package io.sluice.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.RouteMatch.PathType;
import io.sluice.snapshot.Router;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class RouterCompilerTest {
    private final RouterCompiler compiler = new RouterCompiler();

    private static RouteEntry<String> rule(String id, String expression, int priority, String... entryPoints) {
        return new RouteEntry<>(new Router(id, List.of(entryPoints), new RouteMatch.Rule(expression), priority,
                List.of(), "svc", null), id);
    }

    private static RouteEntry<String> ingress(String id, String host, String path, PathType type) {
        return new RouteEntry<>(new Router(id, List.of(), new RouteMatch.IngressPath(host, path, type), 0,
                List.of(), "svc", null), id);
    }

    private String match(List<RouteEntry<String>> entries, String entryPoint, TestRequest request)
            throws RouterCompileException {
        return compiler.compile(entries).match(entryPoint, request);
    }

    @Test
    void longerRuleWinsByDefaultLikeTraefik() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                rule("short", "Host(`a.com`)", 0),
                rule("long", "Host(`a.com`) && PathPrefix(`/api`)", 0));
        assertThat(match(entries, "web", TestRequest.to("a.com", "/api/x"))).isEqualTo("long");
        assertThat(match(entries, "web", TestRequest.to("a.com", "/other"))).isEqualTo("short");
    }

    @Test
    void explicitPriorityBeatsRuleLength() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                rule("catchall", "PathPrefix(`/`)", 1000),
                rule("specific", "Host(`a.com`) && PathPrefix(`/api`)", 0));
        assertThat(match(entries, "web", TestRequest.to("a.com", "/api"))).isEqualTo("catchall");
    }

    @Test
    void tiesBreakOnIdAscending() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                rule("b", "Path(`/x`)", 5), rule("a", "Path(`/x`)", 5), rule("c", "Path(`/x`)", 5));
        assertThat(match(entries, "web", TestRequest.to("h", "/x"))).isEqualTo("a");
    }

    @Test
    void aHostlessRouterWithHigherPriorityBeatsAHostRouter() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                rule("host", "Host(`a.com`)", 10), rule("any", "PathPrefix(`/`)", 20));
        assertThat(match(entries, "web", TestRequest.to("a.com", "/"))).isEqualTo("any");
    }

    @ParameterizedTest(name = "entrypoint {0} -> {1}")
    @CsvSource({
        "web, web-only",
        "websecure, everywhere",
        "admin, everywhere",
    })
    void routersOnlyApplyOnTheirEntryPoints(String entryPoint, String expected) throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                rule("web-only", "Path(`/x`)", 10, "web"),
                rule("everywhere", "Path(`/x`)", 5));
        assertThat(match(entries, entryPoint, TestRequest.to("h", "/x"))).isEqualTo(expected);
    }

    @Test
    void aRouterOnOtherEntryPointsIsNeverUsed() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(rule("secure", "Path(`/x`)", 0, "websecure"));
        assertThat(match(entries, "web", TestRequest.to("h", "/x"))).isNull();
        assertThat(match(entries, "websecure", TestRequest.to("h", "/x"))).isEqualTo("secure");
    }

    @Test
    void ingressDefaultsPreferLongestPathThenExactThenHost() throws RouterCompileException {
        List<RouteEntry<String>> entries = List.of(
                ingress("root", null, "/", PathType.PREFIX),
                ingress("foo-prefix", null, "/foo", PathType.PREFIX),
                ingress("foo-exact", null, "/foo", PathType.EXACT),
                ingress("foo-bar", null, "/foo/bar", PathType.PREFIX),
                ingress("host-foo", "a.com", "/foo", PathType.PREFIX),
                ingress("wild-foo", "*.a.com", "/foo", PathType.PREFIX));
        assertThat(match(entries, "web", TestRequest.to("x.com", "/foo"))).isEqualTo("foo-exact");
        assertThat(match(entries, "web", TestRequest.to("x.com", "/foo/"))).isEqualTo("foo-prefix");
        assertThat(match(entries, "web", TestRequest.to("x.com", "/foo/bar/baz"))).isEqualTo("foo-bar");
        assertThat(match(entries, "web", TestRequest.to("a.com", "/foo/x"))).isEqualTo("host-foo");
        assertThat(match(entries, "web", TestRequest.to("b.a.com", "/foo/x"))).isEqualTo("wild-foo");
        assertThat(match(entries, "web", TestRequest.to("x.com", "/elsewhere"))).isEqualTo("root");
    }

    @Test
    void reportsEveryBadRouterAtOnce() {
        List<RouteEntry<String>> entries = List.of(
                rule("good", "Host(`a.com`)", 0),
                rule("typo", "Hots(`a.com`)", 0),
                rule("regex", "PathRegexp(`(`)", 0),
                rule("parens", "(Path(`/`)", 0));
        assertThatThrownBy(() -> compiler.compile(entries))
                .isInstanceOfSatisfying(RouterCompileException.class, e -> assertThat(e.problems()).satisfiesExactly(
                        p -> assertThat(p).startsWith("router typo: invalid rule at position 0: unknown matcher"),
                        p -> assertThat(p).startsWith("router regex: invalid rule at position 0: PathRegexp:"),
                        p -> assertThat(p).isEqualTo(
                                "router parens: invalid rule at position 10: expected ')' but found end of rule")));
    }

    @Test
    void matchingAHostRuleAllocatesNothing() throws RouterCompileException {
        List<RouteEntry<String>> entries = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            entries.add(rule("r" + i, "Host(`h" + i + ".example.com`) && PathPrefix(`/api`)", 0));
        }
        entries.add(ingress("wild", "*.example.org", "/", PathType.PREFIX));
        CompiledRouter<String> compiled = compiler.compile(entries);
        TestRequest hit = TestRequest.to("h500.example.com", "/api/x");
        TestRequest wildcard = TestRequest.to("a.example.org", "/x");
        TestRequest miss = TestRequest.to("nobody.example.net", "/api/x");
        com.sun.management.ThreadMXBean threads =
                (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        for (int warm = 0; warm < 20_000; warm++) {
            compiled.match("web", hit);
            compiled.match("web", wildcard);
            compiled.match("web", miss);
        }
        long before = threads.getThreadAllocatedBytes(id);
        int found = 0;
        for (int i = 0; i < 10_000; i++) {
            found += compiled.match("web", hit) != null ? 1 : 0;
            found += compiled.match("web", wildcard) != null ? 1 : 0;
            found += compiled.match("web", miss) != null ? 1 : 0;
        }
        long allocated = threads.getThreadAllocatedBytes(id) - before;
        assertThat(found).isEqualTo(20_000);
        // 30,000 lookups; allow a little for the measuring itself, far below one object per lookup
        assertThat(allocated).isLessThan(30_000L);
    }

    @Test
    void emptyTableMatchesNothing() throws RouterCompileException {
        assertThat(match(List.of(), "web", TestRequest.to("a.com", "/"))).isNull();
    }

    /**
     * The host index must give exactly the answer of trying every router in priority order. Random tables of
     * host, wildcard, disjunction, negation and hostless routers, on random requests, checked against that.
     */
    @Test
    void hostIndexAgreesWithALinearScanInPriorityOrder() throws Exception {
        Random random = new Random(42);
        String[] hosts = {"a.com", "b.com", "x.a.com", "y.a.com", "a.b.a.com", "c.org"};
        String[] paths = {"/", "/api", "/api/v1", "/web", "/apix"};
        RuleParser parser = new RuleParser();
        for (int round = 0; round < 200; round++) {
            List<RouteEntry<String>> entries = new ArrayList<>();
            int count = 1 + random.nextInt(30);
            for (int i = 0; i < count; i++) {
                String id = "r" + i;
                int priority = random.nextInt(4) * random.nextInt(3);
                String host = hosts[random.nextInt(hosts.length)];
                String path = paths[random.nextInt(paths.length)];
                switch (random.nextInt(6)) {
                    case 0:
                        entries.add(rule(id, "Host(`" + host + "`) && PathPrefix(`" + path + "`)", priority));
                        break;
                    case 1:
                        entries.add(rule(id, "Host(`" + host + "`) || Host(`" + hosts[random.nextInt(hosts.length)]
                                + "`)", priority));
                        break;
                    case 2:
                        entries.add(rule(id, "!Host(`" + host + "`) && Path(`" + path + "`)", priority));
                        break;
                    case 3:
                        entries.add(rule(id, "PathPrefix(`" + path + "`)", priority));
                        break;
                    case 4:
                        entries.add(ingress(id, "*.a.com", path, random.nextBoolean() ? PathType.EXACT
                                : PathType.PREFIX));
                        break;
                    default:
                        entries.add(ingress(id, random.nextBoolean() ? null : host, path, PathType.PREFIX));
                        break;
                }
            }
            CompiledRouter<String> compiled = compiler.compile(entries);
            List<RouteEntry<String>> ordered = new ArrayList<>(entries);
            ordered.sort(Comparator.comparingLong((RouteEntry<String> e) -> DefaultPriority.of(e.router()))
                    .reversed().thenComparing(e -> e.router().id()));
            for (String host : hosts) {
                for (String path : paths) {
                    TestRequest request = TestRequest.to(host, path);
                    String expected = null;
                    for (RouteEntry<String> e : ordered) {
                        RequestMatcher m = e.router().match() instanceof RouteMatch.Rule
                                ? parser.parse(((RouteMatch.Rule) e.router().match()).expression())
                                : new IngressPathMatcher((RouteMatch.IngressPath) e.router().match());
                        if (m.matches(request)) {
                            expected = e.payload();
                            break;
                        }
                    }
                    assertThat(compiled.match("web", request)).as("round %d, %s", round, request)
                            .isEqualTo(expected);
                }
            }
        }
    }
}
