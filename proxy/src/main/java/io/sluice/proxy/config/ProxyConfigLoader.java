package io.sluice.proxy.config;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads the settings: defaults, then the YAML file named by {@code --config} (keys are the flag names without
 * {@code --}), then the other flags. Unknown flags or keys and bad values are {@link ConfigException}s naming
 * the flag.
 */
public final class ProxyConfigLoader {
    private static final Pattern DURATION_PART = Pattern.compile("(\\d+)(ms|s|m|h)");
    private static final Pattern SIZE = Pattern.compile("(\\d+)(B|KiB|MiB|GiB)?");
    private static final String CONFIG_FLAG = "--config";
    private static final String HELP_FLAG = "--help";

    /** True if the command line asks for help. */
    public boolean wantsHelp(String[] args) {
        return Arrays.asList(args).contains(HELP_FLAG) || Arrays.asList(args).contains("-h");
    }

    /** The {@code --help} text: every flag with its default. */
    public String help() {
        StringBuilder text = new StringBuilder("Usage: sluice-proxy [--config <file>] [--<flag> <value>]...\n\n");
        text.append(String.format("  %-40s %s%n", "--config <file>", "YAML file with any of the settings below"));
        for (ProxyOption option : ProxyOption.values()) {
            String left = option.flag() + " <" + option.kind() + ">";
            String def = option.defaultValue() == null ? "" : " (default: " + option.defaultValue() + ")";
            text.append(String.format("  %-40s %s%s%n", left, option.help(), def));
        }
        text.append("\nDurations: 500ms, 5s, 2m, 1h, 1m30s. Sizes: 512, 16KiB, 64MiB, 1GiB.\n");
        return text.toString();
    }

    public ProxyConfig load(String[] args) throws ConfigException {
        Map<ProxyOption, String> values = new EnumMap<>(ProxyOption.class);
        for (ProxyOption option : ProxyOption.values()) {
            if (option.defaultValue() != null) {
                values.put(option, option.defaultValue());
            }
        }
        Map<ProxyOption, String> flags = new EnumMap<>(ProxyOption.class);
        Path configFile = parseFlags(args, flags);
        if (configFile != null) {
            values.putAll(readYaml(configFile));
        }
        values.putAll(flags);
        return build(new Values(values));
    }

    private static Path parseFlags(String[] args, Map<ProxyOption, String> flags) throws ConfigException {
        Path configFile = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (!name.equals(CONFIG_FLAG) && option(name) == null) {
                throw new ConfigException("unknown flag " + arg + " (see --help)");
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new ConfigException(name + " needs a value");
                }
                value = args[++i];
            }
            if (name.equals(CONFIG_FLAG)) {
                configFile = Path.of(value);
            } else {
                flags.put(option(name), value);
            }
        }
        return configFile;
    }

    private static ProxyOption option(String flag) {
        for (ProxyOption option : ProxyOption.values()) {
            if (option.flag().equals(flag)) {
                return option;
            }
        }
        return null;
    }

    private static Map<ProxyOption, String> readYaml(Path file) throws ConfigException {
        Map<String, Object> raw;
        try {
            raw = new YAMLMapper().readValue(Files.readAllBytes(file), new TypeReference<Map<String, Object>>() { });
        } catch (IOException e) {
            throw new ConfigException("--config " + file + ": cannot read it: " + e.getMessage());
        }
        Map<ProxyOption, String> values = new EnumMap<>(ProxyOption.class);
        if (raw == null) {
            return values;
        }
        for (Map.Entry<String, Object> entry : raw.entrySet()) {
            ProxyOption option = option("--" + entry.getKey());
            if (option == null) {
                throw new ConfigException("--config " + file + ": unknown key \"" + entry.getKey() + "\"");
            }
            Object value = entry.getValue();
            if (value instanceof List<?> list) {
                values.put(option, list.stream().map(String::valueOf).collect(Collectors.joining(",")));
            } else if (value != null) {
                values.put(option, String.valueOf(value));
            }
        }
        return values;
    }

    private static ProxyConfig build(Values v) throws ConfigException {
        Path cert = v.path(ProxyOption.PUSH_TLS_CERT);
        Path key = v.path(ProxyOption.PUSH_TLS_KEY);
        Path clientCa = v.path(ProxyOption.PUSH_CLIENT_CA);
        if ((cert == null) != (key == null)) {
            throw new ConfigException("--push-tls-cert and --push-tls-key must be given together");
        }
        if (clientCa != null && cert == null) {
            throw new ConfigException("--push-client-ca needs --push-tls-cert and --push-tls-key");
        }
        Path defaultCertificate = v.path(ProxyOption.DEFAULT_CERTIFICATE_FILE);
        Path defaultKey = v.path(ProxyOption.DEFAULT_KEY_FILE);
        if ((defaultCertificate == null) != (defaultKey == null)) {
            throw new ConfigException("--default-certificate-file and --default-key-file must be given together");
        }
        String provider = v.raw().get(ProxyOption.TLS_PROVIDER).trim();
        if (!List.of("auto", "openssl", "jdk").contains(provider)) {
            throw v.bad(ProxyOption.TLS_PROVIDER, "auto, openssl or jdk");
        }
        int redirectPort = v.raw().get(ProxyOption.REDIRECT_WEB_TO_HTTPS) == null ? 0
                : v.port(ProxyOption.REDIRECT_WEB_TO_HTTPS);
        if (v.raw().get(ProxyOption.REDIRECT_WEB_TO_HTTPS) != null && redirectPort == 0) {
            throw v.bad(ProxyOption.REDIRECT_WEB_TO_HTTPS, "a port (1-65535)");
        }
        return new ProxyConfig(
                new ProxyConfig.Listeners(v.address(ProxyOption.BIND_ADDRESS), v.port(ProxyOption.WEB_PORT),
                        v.port(ProxyOption.WEBSECURE_PORT), v.port(ProxyOption.HEALTH_PORT),
                        v.port(ProxyOption.PUSH_PORT)),
                new ProxyConfig.Push(v.path(ProxyOption.PUSH_TOKEN_FILE), cert, key, clientCa,
                        v.size(ProxyOption.PUSH_MAX_BODY_SIZE)),
                new ProxyConfig.SnapshotFiles(v.path(ProxyOption.LAST_KNOWN_GOOD), v.path(ProxyOption.SNAPSHOT_FILE)),
                new ProxyConfig.Drain(v.duration(ProxyOption.DRAIN_DELAY), v.duration(ProxyOption.DRAIN_TIMEOUT)),
                new ProxyConfig.ClientLimits(v.count(ProxyOption.MAX_CONNECTIONS), v.size(ProxyOption.MAX_HEADER_SIZE),
                        v.size(ProxyOption.MAX_INITIAL_LINE), v.count(ProxyOption.MAX_HEADERS),
                        v.duration(ProxyOption.HEADER_READ_TIMEOUT), v.duration(ProxyOption.IDLE_TIMEOUT),
                        v.count(ProxyOption.H2_MAX_CONCURRENT_STREAMS), v.cidrs(ProxyOption.TRUSTED_PROXIES),
                        v.bool(ProxyOption.ACCESS_LOG), v.count(ProxyOption.EVENT_LOOPS)),
                new ProxyConfig.UpstreamLimits(v.duration(ProxyOption.UPSTREAM_CONNECT_TIMEOUT),
                        v.duration(ProxyOption.UPSTREAM_RESPONSE_HEADER_TIMEOUT),
                        v.duration(ProxyOption.UPSTREAM_IDLE_TIMEOUT),
                        v.count(ProxyOption.MAX_CONNECTIONS_PER_ENDPOINT), v.count(ProxyOption.MAX_QUEUED_PER_ENDPOINT),
                        v.positiveDuration(ProxyOption.UPSTREAM_QUEUE_TIMEOUT)),
                new ProxyConfig.Tls(defaultCertificate, defaultKey, provider, redirectPort));
    }

    /** Typed reads of the resolved values; each error names the flag. */
    private record Values(Map<ProxyOption, String> raw) {

        private ConfigException bad(ProxyOption o, String expected) {
            return new ConfigException(o.flag() + ": \"" + raw.get(o) + "\" is not " + expected);
        }

        int port(ProxyOption o) throws ConfigException {
            int port = integer(o, "a port (0-65535)");
            if (port > 65535) {
                throw bad(o, "a port (0-65535)");
            }
            return port;
        }

        int count(ProxyOption o) throws ConfigException {
            return integer(o, "a whole number >= 0");
        }

        private int integer(ProxyOption o, String expected) throws ConfigException {
            try {
                int value = Integer.parseInt(raw.get(o).trim());
                if (value < 0) {
                    throw bad(o, expected);
                }
                return value;
            } catch (NumberFormatException e) {
                throw bad(o, expected);
            }
        }

        boolean bool(ProxyOption o) throws ConfigException {
            String value = raw.get(o).trim();
            if (value.equals("true") || value.equals("false")) {
                return Boolean.parseBoolean(value);
            }
            throw bad(o, "true or false");
        }

        Path path(ProxyOption o) throws ConfigException {
            String value = raw.get(o);
            if (value == null) {
                return null;
            }
            if (value.isBlank()) {
                throw bad(o, "a file path");
            }
            return Path.of(value.trim());
        }

        InetAddress address(ProxyOption o) throws ConfigException {
            String value = raw.get(o).trim();
            if (!(value.indexOf(':') >= 0 || value.matches("[0-9.]+"))) {
                throw bad(o, "an IP address");
            }
            try {
                return InetAddress.getByName(value);
            } catch (UnknownHostException e) {
                throw bad(o, "an IP address");
            }
        }

        Duration duration(ProxyOption o) throws ConfigException {
            String value = raw.get(o).trim();
            Matcher m = DURATION_PART.matcher(value);
            Duration total = Duration.ZERO;
            int end = 0;
            while (m.find() && m.start() == end) {
                long n = Long.parseLong(m.group(1));
                total = total.plus(switch (m.group(2)) {
                    case "ms" -> Duration.ofMillis(n);
                    case "s" -> Duration.ofSeconds(n);
                    case "m" -> Duration.ofMinutes(n);
                    default -> Duration.ofHours(n);
                });
                end = m.end();
            }
            if (end == 0 || end != value.length()) {
                throw bad(o, "a duration like 500ms, 5s, 2m or 1m30s");
            }
            return total;
        }

        Duration positiveDuration(ProxyOption o) throws ConfigException {
            Duration duration = duration(o);
            if (duration.isZero()) {
                throw bad(o, "a duration above zero");
            }
            return duration;
        }

        int size(ProxyOption o) throws ConfigException {
            Matcher m = SIZE.matcher(raw.get(o).trim());
            if (!m.matches()) {
                throw bad(o, "a size like 512, 16KiB or 64MiB");
            }
            long unit = m.group(2) == null ? 1 : switch (m.group(2)) {
                case "KiB" -> 1024L;
                case "MiB" -> 1024L * 1024;
                case "GiB" -> 1024L * 1024 * 1024;
                default -> 1L;
            };
            try {
                return Math.toIntExact(Math.multiplyExact(Long.parseLong(m.group(1)), unit));
            } catch (ArithmeticException | NumberFormatException e) {
                throw bad(o, "a size below 2GiB");
            }
        }

        List<CidrBlock> cidrs(ProxyOption o) throws ConfigException {
            List<CidrBlock> blocks = new ArrayList<>();
            for (String part : raw.get(o).split(",")) {
                if (part.isBlank()) {
                    continue;
                }
                try {
                    blocks.add(CidrBlock.parse(part));
                } catch (IllegalArgumentException e) {
                    throw new ConfigException(o.flag() + ": " + e.getMessage());
                }
            }
            return blocks;
        }
    }
}
