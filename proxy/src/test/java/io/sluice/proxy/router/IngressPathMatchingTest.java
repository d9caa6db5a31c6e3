package io.sluice.proxy.router;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.snapshot.RouteMatch;
import io.sluice.snapshot.RouteMatch.PathType;
import io.sluice.snapshot.Router;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class IngressPathMatchingTest {

    /**
     * The path-matching examples table of the Kubernetes Ingress documentation
     * (concepts/services-networking/ingress/#examples). Several paths (space separated) form one Ingress; the
     * expected value names the path that takes the request, or "none".
     */
    @ParameterizedTest(name = "{0} {1} <- {2}: {3}")
    @CsvSource(delimiter = ';', value = {
        "Prefix ; / ; /anything/at/all ; /",
        "Exact ; /foo ; /foo ; /foo",
        "Exact ; /foo ; /bar ; none",
        "Exact ; /foo ; /foo/ ; none",
        "Exact ; /foo/ ; /foo ; none",
        "Prefix ; /foo ; /foo ; /foo",
        "Prefix ; /foo ; /foo/ ; /foo",
        "Prefix ; /foo/ ; /foo ; /foo/",
        "Prefix ; /foo/ ; /foo/ ; /foo/",
        "Prefix ; /aaa/bb ; /aaa/bbb ; none",
        "Prefix ; /aaa/bbb ; /aaa/bbb ; /aaa/bbb",
        "Prefix ; /aaa/bbb/ ; /aaa/bbb ; /aaa/bbb/",
        "Prefix ; /aaa/bbb ; /aaa/bbb/ ; /aaa/bbb",
        "Prefix ; /aaa/bbb ; /aaa/bbb/ccc ; /aaa/bbb",
        "Prefix ; /aaa/bbb ; /aaa/bbbxyz ; none",
        "Prefix ; / /aaa ; /aaa/ccc ; /aaa",
        "Prefix ; / /aaa /aaa/bbb ; /aaa/bbb ; /aaa/bbb",
        "Prefix ; / /aaa /aaa/bbb ; /ccc ; /",
        "Prefix ; /aaa ; /ccc ; none",
        "Mixed ; /foo:Prefix /foo:Exact ; /foo ; /foo:Exact",
    })
    void kubernetesDocumentationExamples(String kind, String paths, String request, String expected)
            throws RouterCompileException {
        List<RouteEntry<String>> entries = new ArrayList<>();
        int n = 0;
        for (String spec : paths.split(" ")) {
            String path = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
            PathType type = spec.endsWith(":Exact") || kind.equals("Exact") ? PathType.EXACT : PathType.PREFIX;
            Router router = new Router("r" + n++, List.of(), new RouteMatch.IngressPath(null, path, type), 0,
                    List.of(), "svc", null);
            entries.add(new RouteEntry<>(router, spec));
        }
        String matched = new RouterCompiler().compile(entries).match("web", TestRequest.to("h.example", request));
        assertThat(matched == null ? "none" : matched).isEqualTo(expected);
    }

    @ParameterizedTest(name = "host {0} <- {1}: {2}")
    @CsvSource({
        "*.example.com, a.example.com, true",
        "*.example.com, example.com, false",
        "*.example.com, a.b.example.com, false",
        "*.example.com, aexample.com, false",
        "*.Example.com, a.example.com, true",
        "foo.example.com, foo.example.com, true",
        "FOO.example.com, foo.example.com, true",
        "foo.example.com, bar.example.com, false",
        ", anything.at.all, true",
    })
    void hostsFollowIngressRules(String host, String requestHost, boolean expected) {
        RequestMatcher matcher = new IngressPathMatcher(new RouteMatch.IngressPath(host, "/", PathType.PREFIX));
        assertThat(matcher.matches(TestRequest.to(requestHost, "/x"))).isEqualTo(expected);
    }
}
