package io.sluice.operator.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.crdv2.generator.CRDGenerator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CRD YAML in the repository's {@code crds/} folder must be what the generator makes from the classes.
 * Regenerate with {@code ./mvnw -q -pl operator -am test -Dtest=CrdsUpToDateTest
 * -Dsurefire.failIfNoSpecifiedTests=false -Dsluice.updateCrds=true}.
 */
class CrdsUpToDateTest {
    private static final Path COMMITTED = Path.of("..", "crds");
    private static final List<String> FILES = List.of("ingressroutes.sluice.io-v1.yml", "middlewares.sluice.io-v1.yml",
            "serverstransports.sluice.io-v1.yml", "tlsoptions.sluice.io-v1.yml", "traefikservices.sluice.io-v1.yml",
            "ingressroutetcps.sluice.io-v1.yml");

    @Test
    void committedCrdsMatchTheClasses(@TempDir Path tmp) throws IOException {
        Path target = Boolean.getBoolean("sluice.updateCrds") ? COMMITTED : tmp;
        Files.createDirectories(target);
        new CRDGenerator().customResourceClasses(IngressRoute.class, Middleware.class, TLSOption.class,
                        ServersTransport.class, TraefikService.class, IngressRouteTCP.class)
                .forCRDVersions("v1").inOutputDir(target.toFile()).generate();
        try (Stream<Path> generated = Files.list(target)) {
            assertThat(generated.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".yml")))
                    .containsExactlyInAnyOrderElementsOf(FILES);
        }
        for (String file : FILES) {
            assertThat(COMMITTED.resolve(file)).as("crds/" + file + " is stale; regenerate with ./mvnw -q -pl operator"
                    + " -am test -Dtest=CrdsUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false"
                    + " -Dsluice.updateCrds=true").exists();
            assertThat(Files.readString(COMMITTED.resolve(file)))
                    .as("crds/" + file + " is stale; regenerate with ./mvnw -q -pl operator -am test"
                            + " -Dtest=CrdsUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false"
                            + " -Dsluice.updateCrds=true")
                    .isEqualTo(Files.readString(target.resolve(file)));
        }
    }
}
