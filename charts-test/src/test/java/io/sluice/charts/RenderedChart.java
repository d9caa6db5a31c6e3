package io.sluice.charts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * The Kubernetes objects of one {@code helm template} run, parsed, so that tests assert on fields rather than on
 * text. Empty documents (templates whose condition was false) are dropped.
 */
final class RenderedChart {

  private static final ObjectMapper YAML = new YAMLMapper();

  private final String text;
  private final List<JsonNode> objects;

  private RenderedChart(String text, List<JsonNode> objects) {
    this.text = text;
    this.objects = List.copyOf(objects);
  }

  static RenderedChart parse(String text) {
    List<JsonNode> objects = new ArrayList<>();
    try (var parser = new YAMLFactory().createParser(text)) {
      var documents = YAML.readValues(parser, JsonNode.class);
      while (documents.hasNext()) {
        JsonNode document = documents.next();
        if (document != null && document.isObject() && document.has("kind")) {
          objects.add(document);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("rendered chart is not valid YAML", e);
    }
    return new RenderedChart(text, objects);
  }

  String text() {
    return text;
  }

  List<JsonNode> objects() {
    return objects;
  }

  List<JsonNode> ofKind(String kind) {
    return objects.stream().filter(o -> kind.equals(o.path("kind").asText())).collect(Collectors.toList());
  }

  Optional<JsonNode> find(String kind, String name) {
    return ofKind(kind).stream().filter(o -> name.equals(o.path("metadata").path("name").asText())).findFirst();
  }

  JsonNode get(String kind, String name) {
    return find(kind, name).orElseThrow(() -> new NoSuchElementException(
        "no " + kind + " named " + name + "; rendered: " + summary()));
  }

  /** The first container of a workload's pod template. */
  JsonNode container(String kind, String name) {
    JsonNode containers = podSpec(kind, name).path("containers");
    if (!(containers instanceof ArrayNode) || containers.isEmpty()) {
      throw new NoSuchElementException(kind + " " + name + " has no containers");
    }
    return containers.get(0);
  }

  JsonNode podSpec(String kind, String name) {
    return get(kind, name).path("spec").path("template").path("spec");
  }

  String summary() {
    return objects.stream()
        .map(o -> o.path("kind").asText() + "/" + o.path("metadata").path("name").asText())
        .collect(Collectors.joining(", "));
  }
}
