package io.sluice.operator.translate;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.networking.v1.Ingress;
import io.fabric8.kubernetes.api.model.networking.v1.IngressClass;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.sluice.operator.crd.IngressRoute;
import io.sluice.operator.crd.IngressRouteTCP;
import io.sluice.operator.crd.Middleware;
import io.sluice.operator.crd.TLSOption;
import io.sluice.operator.crd.ServersTransport;
import io.sluice.operator.crd.TraefikService;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotValidator;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Golden fixtures: each folder under {@code src/test/resources/translate/} holds the YAML a user would apply
 * ({@code input.yaml}, optional {@code options.yaml}) and the translation expected from it ({@code expected.json}:
 * snapshot content, problems, statuses). Regenerate after a deliberate change with
 * {@code ./mvnw -q -pl operator -am test -Dtest=TranslatorGoldenTest -Dsurefire.failIfNoSpecifiedTests=false
 * -Dsluice.updateGolden=true}, then review the diff by hand.
 */
class TranslatorGoldenTest {
    private static final Path CASES = Path.of("src", "test", "resources", "translate");
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).enable(SerializationFeature.INDENT_OUTPUT)
            .build();
    private static final Map<String, Class<?>> KINDS = Map.of(
            "Ingress", Ingress.class, "IngressClass", IngressClass.class, "IngressRoute", IngressRoute.class,
            "Middleware", Middleware.class, "Service", Service.class, "EndpointSlice", EndpointSlice.class,
            "Secret", Secret.class, "TLSOption", TLSOption.class, "ServersTransport", ServersTransport.class,
            "TraefikService", TraefikService.class);
    /** Kinds beyond the ten {@code Map.of} takes. */
    private static final Map<String, Class<?>> MORE_KINDS = Map.of("IngressRouteTCP", IngressRouteTCP.class);

    static Stream<String> cases() throws IOException {
        try (Stream<Path> dirs = Files.list(CASES)) {
            return dirs.filter(Files::isDirectory).map(p -> p.getFileName().toString()).sorted().toList().stream();
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void translatesAsExpected(String name) throws IOException {
        Path dir = CASES.resolve(name);
        List<Object> objects = load(Files.readString(dir.resolve("input.yaml")));
        TranslationOptions options = Files.exists(dir.resolve("options.yaml"))
                ? Serialization.unmarshal(Files.readString(dir.resolve("options.yaml")), TranslationOptions.class)
                : TranslationOptions.DEFAULTS;
        Translator translator = new Translator();
        Translation translation = translator.translate(view(objects, options));

        RoutingSnapshot snapshot = translation.toSnapshot(new SnapshotVersion(1, 1));
        assertThat(new SnapshotValidator().validate(snapshot)).as("snapshot is valid").isEmpty();
        List<Object> reversed = new ArrayList<>(objects);
        Collections.reverse(reversed);
        assertThat(translator.translate(view(reversed, options))).as("input order does not matter")
                .isEqualTo(translation);

        for (Secret secret : of(objects, Secret.class)) {
            for (String value : secretValues(secret)) {
                value.lines().map(String::strip).filter(l -> l.length() > 4).forEach(line ->
                        assertThat(translation.problems()).as("no Secret content in problems")
                                .noneMatch(p -> p.message().contains(line)));
            }
        }

        String actual = render(translation);
        Path expected = dir.resolve("expected.json");
        if (Boolean.getBoolean("sluice.updateGolden")) {
            Files.writeString(expected, actual);
        }
        assertThat(actual).as(expected + " (regenerate with -Dsluice.updateGolden=true, then review)")
                .isEqualTo(Files.readString(expected));
    }

    private static String render(Translation t) throws IOException {
        RoutingSnapshot snapshot = t.toSnapshot(SnapshotVersion.NONE);
        ObjectNode root = (ObjectNode) JSON.readTree(new SnapshotCodec().encode(snapshot));
        root.remove("version");
        JsonNode problems = JSON.valueToTree(t.problems());
        JsonNode statuses = JSON.valueToTree(t.statuses());
        root.set("problems", problems);
        root.set("statuses", statuses);
        return JSON.writeValueAsString(JSON.treeToValue(root, Object.class)) + "\n";
    }

    private static List<Object> load(String yaml) {
        List<Object> objects = new ArrayList<>();
        for (String doc : yaml.split("(?m)^---\\s*$")) {
            if (doc.isBlank() || doc.lines().allMatch(l -> l.isBlank() || l.startsWith("#"))) {
                continue;
            }
            Map<?, ?> raw = Serialization.unmarshal(doc, Map.class);
            Class<?> type = KINDS.getOrDefault(String.valueOf(raw.get("kind")),
                    MORE_KINDS.get(String.valueOf(raw.get("kind"))));
            if (type == null) {
                throw new IllegalArgumentException("unsupported kind in fixture: " + raw.get("kind"));
            }
            objects.add(Serialization.unmarshal(doc, type));
        }
        return objects;
    }

    private static List<String> secretValues(Secret secret) {
        List<String> values = new ArrayList<>();
        if (secret.getStringData() != null) {
            values.addAll(secret.getStringData().values());
        }
        if (secret.getData() != null) {
            secret.getData().values().forEach(v -> values.add(new String(java.util.Base64.getMimeDecoder().decode(v),
                    java.nio.charset.StandardCharsets.UTF_8)));
        }
        return values;
    }

    private static ClusterView view(List<Object> objects, TranslationOptions options) {
        return new ClusterView(of(objects, Ingress.class), of(objects, IngressClass.class),
                of(objects, IngressRoute.class), of(objects, Middleware.class), of(objects, Service.class),
                of(objects, EndpointSlice.class), of(objects, Secret.class), options, of(objects, TLSOption.class),
                of(objects, ServersTransport.class), of(objects, TraefikService.class),
                of(objects, IngressRouteTCP.class));
    }

    private static <T> List<T> of(List<Object> objects, Class<T> type) {
        return objects.stream().filter(type::isInstance).map(type::cast).toList();
    }

}
