package io.sluice.operator;

import static org.assertj.core.api.Assertions.assertThat;

import io.sluice.proxy.config.ProxyOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every flag, metric and annotation a user can meet is documented: the names are taken from the code (the
 * proxy's option table, and the string literals that name operator flags, Micrometer meters and
 * {@code sluice.io/} annotations), and each must appear in {@code README.md} or a page under {@code docs/}.
 * A new flag or metric without a line of documentation fails the build here.
 */
class DocumentationCoverageTest {
    private static final Path ROOT = Path.of("..");
    private static final Pattern METER = Pattern.compile("\"(sluice\\.[a-z][a-z.]*)\"");
    private static final Pattern FLAG = Pattern.compile("\"(--[a-z][a-z0-9-]+)");
    private static final Pattern ANNOTATION = Pattern.compile("\"(sluice\\.io/[A-Za-z0-9./-]+)\"");
    /** Literals that look like meter names but name something else: the API group and the access logger. */
    private static final Set<String> NOT_METERS = Set.of("sluice.io", "sluice.access");

    private static final String DOCS = documentation();

    @Test
    void everyProxyFlagIsInTheProxyConfigPage() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/proxy-config.md"));
        List<String> missing = new ArrayList<>();
        for (ProxyOption option : ProxyOption.values()) {
            if (!page.contains("--" + option.key())) {
                missing.add("--" + option.key());
            }
        }
        assertThat(missing).as("proxy flags missing from docs/proxy-config.md").isEmpty();
    }

    @Test
    void everyMetricIsDocumentedUnderItsPrometheusName() {
        Set<String> meters = literals(METER, "proxy/src/main/java", "operator/src/main/java");
        assertThat(meters).as("the scan finds the meters at all").contains("sluice.requests", "sluice.propagation");
        Set<String> missing = new TreeSet<>();
        for (String meter : meters) {
            String prometheus = meter.replace('.', '_');
            if (!NOT_METERS.contains(meter) && !DOCS.contains(prometheus)) {
                missing.add(prometheus);
            }
        }
        assertThat(missing).as("metrics (Prometheus name prefix) missing from README.md and docs/").isEmpty();
    }

    @Test
    void everyOperatorFlagIsDocumented() {
        Set<String> flags = literals(FLAG, "operator/src/main/java");
        assertThat(flags).as("the scan finds the flags at all").contains("--proxy-admin-service");
        Set<String> missing = new TreeSet<>(flags);
        missing.removeIf(DOCS::contains);
        assertThat(missing).as("operator flags missing from README.md and docs/").isEmpty();
    }

    @Test
    void everyAnnotationIsInTheAnnotationsPage() throws IOException {
        String page = Files.readString(ROOT.resolve("docs/annotations.md"));
        Set<String> annotations = literals(ANNOTATION, "operator/src/main/java");
        assertThat(annotations).as("the scan finds the annotations at all").contains("sluice.io/router.middlewares");
        Set<String> missing = new TreeSet<>(annotations);
        missing.removeIf(page::contains);
        assertThat(missing).as("annotations missing from docs/annotations.md").isEmpty();
    }

    private static Set<String> literals(Pattern pattern, String... sourceRoots) {
        Set<String> found = new TreeSet<>();
        for (String root : sourceRoots) {
            for (Path file : files(ROOT.resolve(root), ".java")) {
                Matcher m = pattern.matcher(read(file));
                while (m.find()) {
                    found.add(m.group(1));
                }
            }
        }
        return found;
    }

    private static String documentation() {
        List<Path> pages = new ArrayList<>(files(ROOT.resolve("docs"), ".md"));
        pages.add(ROOT.resolve("README.md"));
        return pages.stream().map(DocumentationCoverageTest::read).collect(Collectors.joining("\n"));
    }

    private static List<Path> files(Path dir, String suffix) {
        try (Stream<Path> walk = Files.walk(dir)) {
            return walk.filter(p -> p.toString().endsWith(suffix)).sorted().collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
