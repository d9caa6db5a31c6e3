package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.util.ResourceLeakDetector;
import java.util.Properties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The proxy turns Netty's leak detector off unless a level was chosen on the command line. */
class LeakDetectionDefaultTest {
    private final ResourceLeakDetector.Level before = ResourceLeakDetector.getLevel();

    @AfterEach
    void restore() {
        ResourceLeakDetector.setLevel(before); // the test suite runs at paranoid
    }

    @Test
    void withoutAChosenLevelDetectionIsOff() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.SIMPLE);
        assertThat(LeakDetectionDefault.apply(new Properties())).isEqualTo(ResourceLeakDetector.Level.DISABLED);
    }

    @Test
    void aChosenLevelIsKept() {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.ADVANCED);
        Properties chosen = new Properties();
        chosen.setProperty("io.netty.leakDetection.level", "advanced");
        assertThat(LeakDetectionDefault.apply(chosen)).isEqualTo(ResourceLeakDetector.Level.ADVANCED);

        Properties legacy = new Properties();
        legacy.setProperty("io.netty.leakDetectionLevel", "advanced");
        assertThat(LeakDetectionDefault.apply(legacy)).isEqualTo(ResourceLeakDetector.Level.ADVANCED);
    }
}
