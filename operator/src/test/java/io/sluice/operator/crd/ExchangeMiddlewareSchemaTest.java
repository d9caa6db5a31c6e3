package io.sluice.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * What the API server checks for {@code inFlightReq}, {@code circuitBreaker}, {@code compress} and
 * {@code buffering}: the committed CRD's OpenAPI schema, applied by a small checker of the keywords it uses
 * (type, properties, required, items, minimum, maximum, minLength, pattern, int-or-string), to the YAML
 * examples in {@code docs/exchange-middlewares.md} (which must pass) and to broken specs (which must not).
 * CEL rules are not evaluated here; the translator repeats those checks.
 */
class ExchangeMiddlewareSchemaTest {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static final Pattern YAML_BLOCK = Pattern.compile("```yaml\n(.*?)```", Pattern.DOTALL);

    private static JsonNode specSchema() throws IOException {
        JsonNode crd = YAML.readTree(Files.readString(Path.of("..", "crds", "middlewares.sluice.io-v1.yml")));
        return crd.at("/spec/versions/0/schema/openAPIV3Schema/properties/spec");
    }

    @Test
    void theDocumentedExamplesAreValid() throws IOException {
        String doc = Files.readString(Path.of("..", "docs", "exchange-middlewares.md"));
        Matcher blocks = YAML_BLOCK.matcher(doc);
        int examples = 0;
        while (blocks.find()) {
            JsonNode middleware = YAML.readTree(blocks.group(1));
            assertThat(middleware.path("kind").asText()).isEqualTo("Middleware");
            assertThat(check(specSchema(), middleware.path("spec"), "spec")).as(blocks.group(1)).isEmpty();
            examples++;
        }
        assertThat(examples).isEqualTo(4);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiterString = " => ", value = {
        "{inFlightReq: {amount: 0}} => spec.inFlightReq.amount: below minimum 1",
        "{inFlightReq: {sourceCriterion: {requestHost: true}}} => spec.inFlightReq: missing required amount",
        "{circuitBreaker: {checkPeriod: 1s}} => spec.circuitBreaker: missing required expression",
        "{circuitBreaker: {expression: '', responseCode: 200}} => spec.circuitBreaker.expression: shorter than 1",
        "{circuitBreaker: {expression: x, responseCode: 600}} => spec.circuitBreaker.responseCode: above maximum 599",
        "{circuitBreaker: {expression: x, fallbackDuration: [1]}} => spec.circuitBreaker.fallbackDuration: not int-or-string",
        "{compress: {encodings: [gzip, deflate]}} => spec.compress.encodings[1]: does not match ^(zstd|br|gzip)$",
        "{compress: {defaultEncoding: identity}} => spec.compress.defaultEncoding: does not match ^(zstd|br|gzip)$",
        "{compress: {minResponseBodyBytes: -1}} => spec.compress.minResponseBodyBytes: below minimum 0",
        "{buffering: {maxRequestBodyBytes: -5}} => spec.buffering.maxRequestBodyBytes: below minimum 0",
        "{buffering: {maxResponseBodyBytes: lots}} => spec.buffering.maxResponseBodyBytes: not integer",
    })
    void refusesBrokenSpecs(String spec, String error) throws IOException {
        assertThat(check(specSchema(), YAML.readTree(spec), "spec")).contains(error);
    }

    private static List<String> check(JsonNode schema, JsonNode value, String at) {
        List<String> errors = new ArrayList<>();
        if (schema.path("x-kubernetes-int-or-string").asBoolean()) {
            if (!value.isIntegralNumber() && !value.isTextual()) {
                errors.add(at + ": not int-or-string");
            }
            return errors;
        }
        switch (schema.path("type").asText()) {
            case "object":
                if (!value.isObject()) {
                    errors.add(at + ": not object");
                    return errors;
                }
                for (JsonNode required : schema.path("required")) {
                    if (!value.has(required.asText())) {
                        errors.add(at + ": missing required " + required.asText());
                    }
                }
                Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
                while (fields.hasNext()) {
                    Map.Entry<String, JsonNode> field = fields.next();
                    JsonNode property = schema.path("properties").path(field.getKey());
                    if (property.isMissingNode()) {
                        if (schema.path("additionalProperties").isMissingNode()) {
                            errors.add(at + "." + field.getKey() + ": unknown field");
                        }
                        continue;
                    }
                    errors.addAll(check(property, field.getValue(), at + "." + field.getKey()));
                }
                break;
            case "array":
                if (!value.isArray()) {
                    errors.add(at + ": not array");
                    return errors;
                }
                for (int i = 0; i < value.size(); i++) {
                    errors.addAll(check(schema.path("items"), value.get(i), at + "[" + i + "]"));
                }
                break;
            case "integer":
                if (!value.isIntegralNumber()) {
                    errors.add(at + ": not integer");
                    return errors;
                }
                if (schema.has("minimum") && value.asLong() < schema.path("minimum").asLong()) {
                    errors.add(at + ": below minimum " + schema.path("minimum").asLong());
                }
                if (schema.has("maximum") && value.asLong() > schema.path("maximum").asLong()) {
                    errors.add(at + ": above maximum " + schema.path("maximum").asLong());
                }
                break;
            case "string":
                if (!value.isTextual()) {
                    errors.add(at + ": not string");
                    return errors;
                }
                if (schema.has("minLength") && value.asText().length() < schema.path("minLength").asInt()) {
                    errors.add(at + ": shorter than " + schema.path("minLength").asInt());
                }
                if (schema.has("pattern") && !Pattern.compile(schema.path("pattern").asText()).matcher(value.asText())
                        .find()) {
                    errors.add(at + ": does not match " + schema.path("pattern").asText());
                }
                break;
            case "boolean":
                if (!value.isBoolean()) {
                    errors.add(at + ": not boolean");
                }
                break;
            default:
                break;
        }
        return errors;
    }
}
