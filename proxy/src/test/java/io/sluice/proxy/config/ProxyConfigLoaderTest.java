package io.sluice.proxy.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ProxyConfigLoaderTest {
    @TempDir
    Path dir;

    private final ProxyConfigLoader loader = new ProxyConfigLoader();

    @Test
    void defaultsMatchTheDocumentedValues() throws Exception {
        ProxyConfig config = loader.load(new String[0]);

        assertThat(config.listeners()).isEqualTo(new ProxyConfig.Listeners(InetAddress.getByName("0.0.0.0"),
                8080, 8443, 9000, 9443));
        assertThat(config.push()).isEqualTo(new ProxyConfig.Push(null, null, null, null, 64 * 1024 * 1024));
        assertThat(config.drain()).isEqualTo(new ProxyConfig.Drain(Duration.ofSeconds(5), Duration.ofSeconds(30)));
        assertThat(config.client().maxHeaderSize()).isEqualTo(16 * 1024);
        assertThat(config.client().maxInitialLine()).isEqualTo(8 * 1024);
        assertThat(config.client().maxHeaders()).isEqualTo(100);
        assertThat(config.client().headerReadTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.client().idleTimeout()).isEqualTo(Duration.ofSeconds(60));
        assertThat(config.client().h2MaxConcurrentStreams()).isEqualTo(128);
        assertThat(config.client().accessLog()).isTrue();
        assertThat(config.client().trustedProxies()).isEmpty();
        assertThat(config.upstream()).isEqualTo(new ProxyConfig.UpstreamLimits(Duration.ofSeconds(5),
                Duration.ofSeconds(60), Duration.ofSeconds(90), 1024));
        assertThat(config.upstream().maxQueuedPerEndpoint()).isEqualTo(1024);
        assertThat(config.upstream().queueTimeout()).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.snapshotFiles()).isEqualTo(new ProxyConfig.SnapshotFiles(null, null));
    }

    @Test
    void flagsOverrideTheYamlFileWhichOverridesDefaults() throws Exception {
        Path yaml = dir.resolve("proxy.yaml");
        Files.writeString(yaml, String.join("\n",
                "web-port: 18080",
                "health-port: 19000",
                "drain-delay: 1m30s",
                "trusted-proxies: [10.0.0.0/8, \"fd00::/8\"]",
                "access-log: false",
                "push-token-file: /var/run/token",
                ""));

        ProxyConfig config = loader.load(new String[] {"--config", yaml.toString(), "--health-port", "29000",
                "--drain-timeout=500ms", "--max-header-size", "32KiB"});

        assertThat(config.listeners().webPort()).isEqualTo(18080);
        assertThat(config.listeners().healthPort()).isEqualTo(29000);
        assertThat(config.drain().delay()).isEqualTo(Duration.ofSeconds(90));
        assertThat(config.drain().timeout()).isEqualTo(Duration.ofMillis(500));
        assertThat(config.client().maxHeaderSize()).isEqualTo(32 * 1024);
        assertThat(config.client().accessLog()).isFalse();
        assertThat(config.client().trustedProxies()).extracting(CidrBlock::toString)
                .containsExactly("10.0.0.0/8", "fd00:0:0:0:0:0:0:0/8");
        assertThat(config.push().tokenFile()).isEqualTo(Path.of("/var/run/token"));
    }

    @Test
    void theUpstreamQueueIsReadFromTheYamlFileAndFlags() throws Exception {
        Path yaml = dir.resolve("proxy.yaml");
        Files.writeString(yaml, "max-queued-per-endpoint: 8\nupstream-queue-timeout: 2s\n");

        ProxyConfig fromFile = loader.load(new String[] {"--config", yaml.toString()});
        ProxyConfig overridden = loader.load(new String[] {"--config", yaml.toString(),
                "--upstream-queue-timeout=500ms", "--max-queued-per-endpoint", "0"});

        assertThat(fromFile.upstream().maxQueuedPerEndpoint()).isEqualTo(8);
        assertThat(fromFile.upstream().queueTimeout()).isEqualTo(Duration.ofSeconds(2));
        assertThat(overridden.upstream().maxQueuedPerEndpoint()).isZero();
        assertThat(overridden.upstream().queueTimeout()).isEqualTo(Duration.ofMillis(500));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "--upstream-queue-timeout|0s|--upstream-queue-timeout",
        "--max-queued-per-endpoint|-1|--max-queued-per-endpoint",
        "--web-port|http|--web-port",
        "--web-port|70000|--web-port",
        "--drain-delay|5 seconds|--drain-delay",
        "--drain-delay|5|--drain-delay",
        "--max-header-size|16KB|--max-header-size",
        "--access-log|yes|--access-log",
        "--trusted-proxies|10.0.0.0/33|--trusted-proxies",
        "--trusted-proxies|example.com|--trusted-proxies",
        "--bind-address|localhost|--bind-address",
        "--max-headers|-1|--max-headers",
        "--no-such-flag|1|unknown flag --no-such-flag"})
    void badValuesAndUnknownFlagsNameTheFlag(String flag, String value, String expected) {
        assertThatThrownBy(() -> loader.load(new String[] {flag, value}))
                .isInstanceOf(ConfigException.class).hasMessageContaining(expected);
    }

    @Test
    void unknownYamlKeysAndMissingValuesAreErrors() throws Exception {
        Path yaml = dir.resolve("proxy.yaml");
        Files.writeString(yaml, "webport: 1\n");
        assertThatThrownBy(() -> loader.load(new String[] {"--config", yaml.toString()}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("unknown key \"webport\"");
        assertThatThrownBy(() -> loader.load(new String[] {"--web-port"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--web-port needs a value");
        assertThatThrownBy(() -> loader.load(new String[] {"--config", dir.resolve("absent.yaml").toString()}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--config");
    }

    @Test
    void tlsFilesMustComeInPairs() {
        assertThatThrownBy(() -> loader.load(new String[] {"--push-tls-cert", "/c.pem"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--push-tls-key");
        assertThatThrownBy(() -> loader.load(new String[] {"--push-client-ca", "/ca.pem"}))
                .isInstanceOf(ConfigException.class).hasMessageContaining("--push-client-ca");
    }

    @Test
    void helpListsEveryFlagWithItsDefault() {
        String help = loader.help();
        for (ProxyOption option : ProxyOption.values()) {
            assertThat(help).contains(option.flag());
        }
        assertThat(help).contains("--config", "(default: 9443)", "(default: 16KiB)");
        assertThat(loader.wantsHelp(new String[] {"--web-port", "1", "--help"})).isTrue();
    }

    @Test
    void cidrBlocksContainTheirAddressesOnly() throws Exception {
        CidrBlock block = CidrBlock.parse("192.168.4.0/22");
        assertThat(block.contains(InetAddress.getByName("192.168.7.255"))).isTrue();
        assertThat(block.contains(InetAddress.getByName("192.168.8.0"))).isFalse();
        assertThat(block.contains(InetAddress.getByName("::1"))).isFalse();
        assertThat(CidrBlock.parse("::1").contains(InetAddress.getByName("::1"))).isTrue();
    }

    @Test
    void tlsFlagsAreReadAndCheckedTogether() throws Exception {
        ProxyConfig defaults = loader.load(new String[0]);
        assertThat(defaults.tls()).isEqualTo(ProxyConfig.Tls.DEFAULTS);

        ProxyConfig config = loader.load(new String[] {"--default-certificate-file", "/certs/tls.crt",
            "--default-key-file=/certs/tls.key", "--tls-provider", "jdk", "--redirect-web-to-https", "443"});
        assertThat(config.tls()).isEqualTo(new ProxyConfig.Tls(java.nio.file.Path.of("/certs/tls.crt"),
                java.nio.file.Path.of("/certs/tls.key"), "jdk", 443));

        assertThatThrownBy(() -> loader.load(new String[] {"--default-certificate-file", "/certs/tls.crt"}))
                .hasMessage("--default-certificate-file and --default-key-file must be given together");
        assertThatThrownBy(() -> loader.load(new String[] {"--tls-provider", "boring"}))
                .hasMessage("--tls-provider: \"boring\" is not auto, openssl or jdk");
        assertThatThrownBy(() -> loader.load(new String[] {"--redirect-web-to-https", "0"}))
                .hasMessage("--redirect-web-to-https: \"0\" is not a port (1-65535)");
        assertThatThrownBy(() -> loader.load(new String[] {"--redirect-web-to-https", "true"}))
                .hasMessage("--redirect-web-to-https: \"true\" is not a port (0-65535)");
    }
}
