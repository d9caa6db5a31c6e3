package io.sluice.operator.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ManifestWatcherTest {
    @TempDir
    Path dir;

    @Test
    void callsBackOnEditAddAndRemoveButNotWhenNothingChanged() throws Exception {
        Files.writeString(dir.resolve("a.yaml"), "kind: A\n");
        AtomicInteger changes = new AtomicInteger();
        try (ManifestWatcher watcher = new ManifestWatcher(
                new ManifestDirectory(dir, new KubernetesSerialization()), Duration.ofMillis(20),
                changes::incrementAndGet)) {
            watcher.start();
            Thread.sleep(120);
            assertThat(changes).hasValue(0);

            Files.writeString(dir.resolve("a.yaml"), "kind: B\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 1);
            Files.writeString(dir.resolve("b.yml"), "kind: C\n");
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 2);
            Files.delete(dir.resolve("a.yaml"));
            await().atMost(Duration.ofSeconds(5)).until(() -> changes.get() == 3);
            Files.writeString(dir.resolve("ignored.txt"), "x");
            Thread.sleep(120);
            assertThat(changes).hasValue(3);
        }
    }
}
