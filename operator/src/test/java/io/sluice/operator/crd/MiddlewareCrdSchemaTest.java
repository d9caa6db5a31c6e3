package io.sluice.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.re2j.Pattern;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.ValidationRule;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The committed Middleware CRD refuses what it should at admission. There is no API server in unit tests, so this
 * checks the schema's structural rules (required, pattern, minLength, minimum) against {@code spec} documents a user
 * might apply, with RE2 for the patterns (the API server's regex engine is Go's, the same syntax), and that the CEL
 * rules the API server evaluates are present.
 */
class MiddlewareCrdSchemaTest {
    private static final JSONSchemaProps SPEC = spec();

    private static JSONSchemaProps spec() {
        try {
            CustomResourceDefinition crd = Serialization.unmarshal(
                    Files.readString(Path.of("..", "crds", "middlewares.sluice.io-v1.yml")),
                    CustomResourceDefinition.class);
            return crd.getSpec().getVersions().get(0).getSchema().getOpenAPIV3Schema().getProperties().get("spec");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The structural errors the API server would report for {@code value} (a subset of OpenAPI v3 checks). */
    private static List<String> errors(String where, JSONSchemaProps schema, Object value) {
        List<String> errors = new ArrayList<>();
        if (value instanceof Map<?, ?> map) {
            if (schema.getRequired() != null) {
                for (String required : schema.getRequired()) {
                    if (!map.containsKey(required)) {
                        errors.add(where + "." + required + ": Required value");
                    }
                }
            }
            for (Map.Entry<?, ?> e : map.entrySet()) {
                boolean fixed = schema.getProperties() != null && !schema.getProperties().isEmpty();
                JSONSchemaProps child = fixed ? schema.getProperties().get(e.getKey())
                        : schema.getAdditionalProperties() == null ? null
                        : schema.getAdditionalProperties().getSchema();
                if (child == null) {
                    errors.add(where + "." + e.getKey() + ": unknown field");
                } else {
                    errors.addAll(errors(where + "." + e.getKey(), child, e.getValue()));
                }
            }
        } else if (value instanceof List<?> list) {
            if (schema.getMinItems() != null && list.size() < schema.getMinItems()) {
                errors.add(where + ": should have at least " + schema.getMinItems() + " items");
            }
            for (int i = 0; i < list.size(); i++) {
                errors.addAll(errors(where + "[" + i + "]", schema.getItems().getSchema(), list.get(i)));
            }
        } else if (value instanceof String s) {
            if (schema.getMinLength() != null && s.length() < schema.getMinLength()) {
                errors.add(where + ": too short");
            }
            if (schema.getPattern() != null && !Pattern.compile(schema.getPattern()).matcher(s).find()) {
                errors.add(where + ": should match '" + schema.getPattern() + "'");
            }
        } else if (value instanceof Number n && schema.getMinimum() != null
                && n.doubleValue() < schema.getMinimum()) {
            errors.add(where + ": should be greater than or equal to " + schema.getMinimum());
        } else if (value instanceof Number n && schema.getMaximum() != null
                && n.doubleValue() > schema.getMaximum()) {
            errors.add(where + ": should be less than or equal to " + schema.getMaximum());
        }
        return errors;
    }

    private static List<String> errors(String specYaml) {
        return errors("spec", SPEC, Serialization.unmarshal(specYaml, Map.class));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stripPrefixRegex: {regex: ['/api/v[0-9]+']}",
        "replacePathRegex: {regex: '^/foo/(.*)', replacement: '/bar/$1'}",
        "redirectRegex: {regex: '^http://(.*)', replacement: 'https://${1}', permanent: true}",
        "contentType: {autoDetect: false}",
        "addPrefix: {prefix: /api}",
        "stripPrefix: {prefixes: [/api, /v1]}",
        "replacePath: {path: /health}",
        "redirectScheme: {scheme: https, port: '8443', permanent: true}",
        "basicAuth: {secret: users, realm: shop, removeHeader: true, headerField: X-Auth-User}",
        "ipAllowList: {sourceRange: [10.0.0.0/8, '::1'], ipStrategy: {depth: 1, excludedIPs: [10.1.0.1]}}",
        "rateLimit: {average: 100, period: 1m, burst: 50, sourceCriterion: {requestHeaderName: X-Client}}",
        "chain: {middlewares: [{name: auth}, {name: strip, namespace: shared}]}",
        "retry: {attempts: 3, initialInterval: 100ms}",
        "errors: {status: ['500-599', '404'], service: {name: pages, port: 80}, query: '/{status}.html'}",
        "forwardAuth: {address: 'https://auth.shop.svc/check', authResponseHeaders: [X-User]}",
        "headers: {accessControlAllowOriginList: ['https://a.example.com', '*'], accessControlAllowMethods: [GET],"
                + " accessControlMaxAge: 100, stsSeconds: 60, frameDeny: true,"
                + " contentSecurityPolicy: \"default-src 'self'\", hostsProxyHeaders: [X-Forwarded-Host],"
                + " sslProxyHeaders: {X-Forwarded-Proto: https}}"
    })
    void acceptsValidSpecs(String spec) {
        assertThat(errors(spec)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "stripPrefixRegex: {} | spec.stripPrefixRegex.regex: Required",
        "stripPrefixRegex: {regex: ['']} | spec.stripPrefixRegex.regex[0]: too short",
        "replacePathRegex: {regex: '^/a'} | spec.replacePathRegex.replacement: Required",
        "replacePathRegex: {regex: '^/a', replacement: '/b?admin=1'} | spec.replacePathRegex.replacement: should match",
        "replacePathRegex: {regex: '^/a', replacement: \"/b\\r\\nX-Evil: 1\"}"
                + " | spec.replacePathRegex.replacement: should match",
        "redirectRegex: {replacement: 'https://x'} | spec.redirectRegex.regex: Required",
        "redirectRegex: {regex: '.*', replacement: 'https://x/ y'} | spec.redirectRegex.replacement: should match",
        "headers: {accessControlAllowMethods: ['GET, POST']} | spec.headers.accessControlAllowMethods[0]: should match",
        "headers: {accessControlAllowOriginList: ['app.example.com']}"
                + " | spec.headers.accessControlAllowOriginList[0]: should match",
        "headers: {accessControlMaxAge: -1} | spec.headers.accessControlMaxAge: should be greater",
        "headers: {stsSeconds: -5} | spec.headers.stsSeconds: should be greater",
        "headers: {referrerPolicy: \"no-referrer\\nSet-Cookie: a=b\"} | spec.headers.referrerPolicy: should match",
        "headers: {hostsProxyHeaders: ['X Forwarded Host']} | spec.headers.hostsProxyHeaders[0]: should match",
        "addPrefix: {prefix: api} | spec.addPrefix.prefix: should match",
        "addPrefix: {} | spec.addPrefix.prefix: Required",
        "stripPrefix: {prefixes: []} | spec.stripPrefix.prefixes: should have at least 1",
        "stripPrefix: {prefixes: [api]} | spec.stripPrefix.prefixes[0]: should match",
        "replacePath: {path: health} | spec.replacePath.path: should match",
        "redirectScheme: {scheme: ftp} | spec.redirectScheme.scheme: should match",
        "redirectScheme: {scheme: https, port: '443x'} | spec.redirectScheme.port: should match",
        "basicAuth: {realm: shop} | spec.basicAuth.secret: Required",
        "basicAuth: {secret: Users_File} | spec.basicAuth.secret: should match",
        "ipAllowList: {sourceRange: []} | spec.ipAllowList.sourceRange: should have at least 1",
        "ipAllowList: {sourceRange: [10.0.0.0/8], ipStrategy: {depth: -1}}"
                + " | spec.ipAllowList.ipStrategy.depth: should be greater",
        "rateLimit: {burst: 5} | spec.rateLimit.average: Required",
        "rateLimit: {average: -1} | spec.rateLimit.average: should be greater",
        "chain: {middlewares: []} | spec.chain.middlewares: should have at least 1",
        "retry: {attempts: 0} | spec.retry.attempts: should be greater",
        "retry: {attempts: 11} | spec.retry.attempts: should be less",
        "errors: {status: ['5xx'], service: {name: pages, port: 80}} | spec.errors.status[0]: should match",
        "errors: {status: ['500']} | spec.errors.service: Required",
        "forwardAuth: {address: 'ftp://auth/'} | spec.forwardAuth.address: should match"
    })
    void refusesInvalidSpecs(String spec, String error) {
        assertThat(errors(spec)).anySatisfy(e -> assertThat(e).startsWith(error.strip()));
    }

    @Test
    void celRulesGuardCredentialsWithAnyOriginContentSniffingAndOneTypePerMiddleware() {
        assertThat(rules(SPEC)).anySatisfy(r -> assertThat(r).contains("has(self.stripPrefixRegex)",
                "has(self.replacePathRegex)", "has(self.redirectRegex)", "has(self.contentType)", "size() == 1"));
        assertThat(rules(SPEC.getProperties().get("headers")))
                .anySatisfy(r -> assertThat(r).contains("accessControlAllowCredentials", "'*' in"));
        assertThat(rules(SPEC.getProperties().get("contentType")))
                .containsExactly("has(self.autoDetect) && self.autoDetect == false");
    }

    private static List<String> rules(JSONSchemaProps schema) {
        return schema.getXKubernetesValidations().stream().map(ValidationRule::getRule).toList();
    }
}
