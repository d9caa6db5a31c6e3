package io.sluice.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressBuilder;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClassBuilder;
import io.sluice.snapshot.HealthCheck;
import io.sluice.snapshot.PassiveHealthCheck;
import io.sluice.snapshot.Service;
import io.sluice.snapshot.Strategy;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The service annotations of an Ingress, table-driven through the whole translator: a valid value shapes the
 * backend's load balancer; an invalid one is a problem on that Ingress, under the annotation's name, and keeps
 * the Ingress out of the snapshot.
 */
class IngressAnnotationsTest {

    static Stream<Arguments> valid() {
        return Stream.of(
                Arguments.of(Map.of(), (Consumer<Service.LoadBalancer>) lb -> {
                    assertThat(lb.strategy()).isEqualTo(Strategy.WRR);
                    assertThat(lb.healthCheck()).isNull();
                    assertThat(lb.passiveHealthCheck()).isNull();
                }),
                Arguments.of(Map.of("sluice.io/service.strategy", "p2c"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.strategy()).isEqualTo(Strategy.P2C)),
                Arguments.of(Map.of("sluice.io/service.strategy", "wrr"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.strategy()).isEqualTo(Strategy.WRR)),
                Arguments.of(Map.of("sluice.io/service.healthcheck.path", "/ready"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.healthCheck())
                                .isEqualTo(new HealthCheck("/ready", 30_000, 5_000, null, null, null))),
                Arguments.of(Map.of("sluice.io/service.healthcheck.path", "/ready",
                        "sluice.io/service.healthcheck.interval", "1m30s",
                        "sluice.io/service.healthcheck.timeout", "2",
                        "sluice.io/service.healthcheck.scheme", "HTTP",
                        "sluice.io/service.healthcheck.hostname", "Probe.Example.com",
                        "sluice.io/service.healthcheck.port", "8081",
                        "sluice.io/service.healthcheck.status", "200"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.healthCheck()).isEqualTo(
                                new HealthCheck("/ready", 90_000, 2_000, "http", "Probe.Example.com", 200, 8081,
                                        Map.of()))),
                Arguments.of(Map.of("sluice.io/service.passivehealthcheck.maxfailedattempts", "5"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.passiveHealthCheck())
                                .isEqualTo(new PassiveHealthCheck(10_000, 5))),
                Arguments.of(Map.of("sluice.io/service.passivehealthcheck.failurewindow", "1m"),
                        (Consumer<Service.LoadBalancer>) lb -> assertThat(lb.passiveHealthCheck())
                                .isEqualTo(new PassiveHealthCheck(60_000, 1))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("valid")
    void aValidValueShapesTheBackend(Map<String, String> annotations, Consumer<Service.LoadBalancer> expect) {
        Translation t = translate(annotations);

        assertThat(t.problems()).isEmpty();
        assertThat(t.routers()).singleElement().satisfies(r -> assertThat(r.service()).isEqualTo(SERVICE_ID));
        assertThat(t.services()).singleElement().isInstanceOfSatisfying(Service.LoadBalancer.class, expect);
    }

    static Stream<Arguments> invalid() {
        return Stream.of(
                Arguments.of("sluice.io/service.strategy", "least-conn", "must be wrr or p2c"),
                Arguments.of("sluice.io/service.strategy", "P2C", "must be wrr or p2c"),
                Arguments.of("sluice.io/service.healthcheck.path", "ready", "path is required and must start with /"),
                Arguments.of("sluice.io/service.healthcheck.interval", "soon",
                        "\"soon\" is not a duration like 10s, 500ms, 1m30s"),
                Arguments.of("sluice.io/service.healthcheck.interval", "0s", "must be greater than 0"),
                Arguments.of("sluice.io/service.healthcheck.timeout", "5 s",
                        "\"5 s\" is not a duration like 10s, 500ms, 1m30s"),
                Arguments.of("sluice.io/service.healthcheck.scheme", "grpc",
                        "scheme grpc is not supported (http or https)"),
                Arguments.of("sluice.io/service.healthcheck.hostname", "a b\r\nX: y",
                        "not a valid host name (DNS name, no wildcard)"),
                Arguments.of("sluice.io/service.healthcheck.hostname", "*.example.com",
                        "not a valid host name (DNS name, no wildcard)"),
                Arguments.of("sluice.io/service.healthcheck.port", "0", "port must be 1..65535"),
                Arguments.of("sluice.io/service.healthcheck.port", "http", "not an integer"),
                Arguments.of("sluice.io/service.healthcheck.status", "600", "status must be 100..599"),
                Arguments.of("sluice.io/service.passivehealthcheck.maxfailedattempts", "33", "must be 1..32"),
                Arguments.of("sluice.io/service.passivehealthcheck.maxfailedattempts", "many", "not an integer"),
                Arguments.of("sluice.io/service.passivehealthcheck.failurewindow", "-1s",
                        "\"-1s\" is not a duration like 10s, 500ms, 1m30s"),
                Arguments.of("sluice.io/service.healthcheck.pth", "/ready", "unknown annotation"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("invalid")
    void anInvalidValueIsReportedOnTheIngressAndKeepsItOut(String key, String value, String message) {
        Map<String, String> annotations = key.startsWith("sluice.io/service.healthcheck.")
                && !key.endsWith(".path") ? Map.of(key, value, "sluice.io/service.healthcheck.path", "/ready")
                : Map.of(key, value);

        Translation t = translate(annotations);

        assertThat(t.problems()).singleElement().satisfies(p -> {
            assertThat(p.ref()).isEqualTo(new ObjectRef("Ingress", "default", "app"));
            assertThat(p.field()).isEqualTo(key);
            assertThat(p.message()).isEqualTo(message);
        });
        assertThat(t.routers()).isEmpty();
        assertThat(t.statuses()).singleElement().satisfies(s -> assertThat(s.accepted()).isFalse());
    }

    static Stream<Arguments> invalidCanary() {
        return Stream.of(
                Arguments.of(Map.of("sluice.io/canary", "true"), "sluice.io/canary.weight",
                        "required on a canary (0..100)"),
                Arguments.of(Map.of("sluice.io/canary", "true", "sluice.io/canary.weight", "-1"),
                        "sluice.io/canary.weight", "must be 0..100"),
                Arguments.of(Map.of("sluice.io/canary", "true", "sluice.io/canary.weight", "101"),
                        "sluice.io/canary.weight", "must be 0..100"),
                Arguments.of(Map.of("sluice.io/canary", "true", "sluice.io/canary.weight", "20%"),
                        "sluice.io/canary.weight", "not an integer"),
                Arguments.of(Map.of("sluice.io/canary", "yes", "sluice.io/canary.weight", "20"),
                        "sluice.io/canary", "must be \"true\" or \"false\""),
                Arguments.of(Map.of("sluice.io/canary.weight", "20"), "sluice.io/canary.weight",
                        "only allowed with sluice.io/canary: \"true\""),
                Arguments.of(Map.of("sluice.io/canary", "true", "sluice.io/canary.weight", "20",
                        "sluice.io/router.entrypoints", "web"), "sluice.io/router.entrypoints",
                        "not allowed on a canary: the main Ingress's router (entrypoints, middlewares, priority,"
                                + " TLS) serves the canary's share too"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("invalidCanary")
    void anInvalidCanaryIsReportedOnTheIngressAndKeepsItOut(Map<String, String> annotations, String key,
            String message) {
        Translation t = translate(annotations);

        assertThat(t.problems()).singleElement().satisfies(p -> {
            assertThat(p.ref()).isEqualTo(new ObjectRef("Ingress", "default", "app"));
            assertThat(p.field()).isEqualTo(key);
            assertThat(p.message()).isEqualTo(message);
        });
        assertThat(t.routers()).isEmpty();
    }

    @ParameterizedTest(name = "weight {0}")
    @org.junit.jupiter.params.provider.CsvSource({"0, 0", "100, 100", "' 35 ', 35"})
    void aCanarySplitsItsMainRouterByWeight(String weight, int expected) {
        Ingress main = ingress("main", Map.of(), "main-web");
        Ingress canary = ingress("app", Map.of("sluice.io/canary", "true", "sluice.io/canary.weight", weight),
                "web");

        Translation t = translate(List.of(main, canary));

        assertThat(t.problems()).isEmpty();
        assertThat(t.routers()).singleElement().satisfies(r -> {
            assertThat(r.id()).isEqualTo("ingress/default/main/0/0");
            assertThat(r.service()).isEqualTo("ingress/default/main/0/0/canary");
        });
        assertThat(t.services()).filteredOn(s -> s instanceof Service.Weighted).singleElement()
                .isEqualTo(new Service.Weighted("ingress/default/main/0/0/canary", List.of(
                        new Service.WeightedTarget("ingress/default/main/main-web:80", 100 - expected),
                        new Service.WeightedTarget(SERVICE_ID, expected)), null));
        assertThat(t.statuses()).allSatisfy(s -> {
            assertThat(s.accepted()).isTrue();
            assertThat(s.routers()).containsExactly("ingress/default/main/0/0");
        });
    }

    private static final String SERVICE_ID = "ingress/default/app/web:80";

    private static Ingress ingress(String name, Map<String, String> annotations, String backend) {
        return new IngressBuilder().withNewMetadata().withName(name).withNamespace("default")
                .withAnnotations(annotations).endMetadata()
                .withNewSpec().withIngressClassName("sluice").addNewRule().withHost("app.example.com").withNewHttp()
                .addNewPath().withPath("/").withPathType("Prefix").withNewBackend().withNewService()
                .withName(backend).withNewPort().withNumber(80).endPort().endService().endBackend().endPath()
                .endHttp().endRule().endSpec().build();
    }

    private static Translation translate(Map<String, String> annotations) {
        return translate(List.of(ingress("app", annotations, "web")));
    }

    private static Translation translate(List<Ingress> ingresses) {
        IngressClass sluice = new IngressClassBuilder().withNewMetadata().withName("sluice").endMetadata()
                .withNewSpec().withController("sluice.io/ingress-controller").endSpec().build();
        io.fabric8.kubernetes.api.model.Service web = new ServiceBuilder().withNewMetadata().withName("web")
                .withNamespace("default").endMetadata().withNewSpec().addNewPort().withPort(80)
                .withTargetPort(new IntOrString(8080)).endPort().endSpec().build();
        EndpointSlice slice = new EndpointSliceBuilder().withNewMetadata().withName("web-1").withNamespace("default")
                .withLabels(Map.of("kubernetes.io/service-name", "web")).endMetadata().withAddressType("IPv4")
                .addNewPort().withPort(8080).endPort().addNewEndpoint().withAddresses("10.0.0.1").withNewConditions()
                .withReady(true).endConditions().endEndpoint().build();
        io.fabric8.kubernetes.api.model.Service mainWeb = new ServiceBuilder(web).editMetadata().withName("main-web")
                .endMetadata().build();
        return new Translator().translate(new ClusterView(ingresses, List.of(sluice), List.of(), List.of(),
                List.of(web, mainWeb), List.of(slice), List.of(), TranslationOptions.DEFAULTS));
    }
}
