package io.sluice.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The proxy process uses Netty's pooled allocator unless one was chosen on the command line. */
class AllocatorDefaultTest {
    @Test
    void withoutAChosenAllocatorThePooledOneIsUsed() {
        Properties system = new Properties();
        assertThat(AllocatorDefault.apply(system)).isEqualTo("pooled");
        assertThat(system.getProperty("io.netty.allocator.type")).isEqualTo("pooled");
    }

    @Test
    void aChosenAllocatorIsKept() {
        Properties system = new Properties();
        system.setProperty("io.netty.allocator.type", "adaptive");
        assertThat(AllocatorDefault.apply(system)).isEqualTo("adaptive");
        assertThat(system.getProperty("io.netty.allocator.type")).isEqualTo("adaptive");
    }
}
