package io.sluice.operator.standalone;

import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads every {@code .yaml}, {@code .yml} and {@code .json} file of a directory (not recursive, sorted by name) the
 * way {@code kubectl apply -f dir/} would: multi-document YAML, one Kubernetes object per document. A document that
 * cannot be read becomes a {@link ManifestProblem} naming the file, object and field; the others still load.
 */
public final class ManifestDirectory {
    private final Path directory;
    private final KubernetesSerialization serialization;
    private final ObjectMapper yaml = new YAMLMapper(new YAMLFactory());

    /**
     * @param serialization fabric8 serialization with our custom resource classes registered
     */
    public ManifestDirectory(Path directory, KubernetesSerialization serialization) {
        this.directory = directory;
        this.serialization = serialization;
    }

    public Path directory() {
        return directory;
    }

    /** The manifest files, sorted by name. */
    public List<Path> files() throws IOException {
        try (Stream<Path> entries = Files.list(directory)) {
            return entries.filter(Files::isRegularFile)
                    .filter(p -> {
                        String n = p.getFileName().toString();
                        return n.endsWith(".yaml") || n.endsWith(".yml") || n.endsWith(".json");
                    })
                    .sorted()
                    .toList();
        }
    }

    public ManifestSet load() throws IOException {
        List<HasMetadata> objects = new ArrayList<>();
        List<ManifestProblem> problems = new ArrayList<>();
        for (Path file : files()) {
            loadFile(file, objects, problems);
        }
        return new ManifestSet(objects, problems);
    }

    private void loadFile(Path file, List<HasMetadata> objects, List<ManifestProblem> problems) {
        int document = 0;
        try (MappingIterator<JsonNode> docs = yaml.readerFor(JsonNode.class).readValues(file.toFile())) {
            while (docs.hasNextValue()) {
                document++;
                JsonNode node = docs.nextValue();
                if (node == null || node.isNull() || node.isMissingNode() || node.isEmpty()) {
                    continue;
                }
                readObject(file, document, node, objects, problems);
            }
        } catch (IOException | RuntimeException e) {
            problems.add(new ManifestProblem(file, Math.max(document, 1), null, null,
                    "not valid YAML: " + firstLine(e.getMessage())));
        }
    }

    private void readObject(Path file, int document, JsonNode node, List<HasMetadata> objects,
            List<ManifestProblem> problems) {
        String object = describe(node);
        if (!node.isObject() || !node.hasNonNull("apiVersion") || !node.hasNonNull("kind")) {
            problems.add(new ManifestProblem(file, document, object, null, "apiVersion and kind are required"));
            return;
        }
        if (!node.path("metadata").hasNonNull("name")) {
            problems.add(new ManifestProblem(file, document, object, "metadata.name", "is required"));
            return;
        }
        try {
            KubernetesResource resource = serialization.convertValue(node, KubernetesResource.class);
            if (resource instanceof HasMetadata hasMetadata) {
                objects.add(hasMetadata);
            } else {
                problems.add(new ManifestProblem(file, document, object, null,
                        "not a Kubernetes object with metadata"));
            }
        } catch (IllegalArgumentException e) {
            problems.add(new ManifestProblem(file, document, object, fieldOf(e), firstLine(rootMessage(e))));
        }
    }

    /** {@code Kind namespace/name} as far as the raw document tells it. */
    private static String describe(JsonNode node) {
        String kind = node.path("kind").asText("?");
        JsonNode meta = node.path("metadata");
        String name = meta.path("name").asText("?");
        String namespace = meta.path("namespace").asText("");
        return kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name);
    }

    private static String fieldOf(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
                StringBuilder sb = new StringBuilder();
                for (JsonMappingException.Reference ref : jme.getPath()) {
                    if (ref.getFieldName() != null) {
                        if (!sb.isEmpty()) {
                            sb.append('.');
                        }
                        sb.append(ref.getFieldName());
                    } else if (ref.getIndex() >= 0) {
                        sb.append('[').append(ref.getIndex()).append(']');
                    }
                }
                return sb.toString();
            }
        }
        return null;
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof JsonMappingException jme) {
            return jme.getOriginalMessage();
        }
        return t.getMessage();
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "unreadable";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
