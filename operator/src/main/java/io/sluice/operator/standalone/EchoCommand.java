package io.sluice.operator.standalone;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.Objects;

/**
 * The operator jar's {@code echo} command: one {@link EchoBackend} as its own process, so that the operator image
 * can stand in for a demo backend Deployment in a cluster (the kind smoke test in {@code e2e/kind/} runs the
 * quickstart's {@code whoami} and {@code api} Services this way) without pulling another image.
 *
 * @param name        what the backend answers in {@code X-Backend} and its body (the Service's name)
 * @param bindAddress address to listen on
 * @param port        port to listen on (0: any free port)
 */
public record EchoCommand(String name, String bindAddress, int port) {
    public static final String USAGE = """
            usage: java -jar sluice-operator.jar echo --name NAME [--port PORT] [--bind-address ADDRESS]
              --name NAME               sent back in X-Backend and the body (required)
              --port PORT               port to listen on (default 8080)
              --bind-address ADDRESS    address to listen on (default 0.0.0.0)
            """;

    public EchoCommand {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(bindAddress, "bindAddress");
        if (name.isBlank()) {
            throw new IllegalArgumentException("--name must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0-65535, got " + port);
        }
    }

    /**
     * Reads {@code --name}, {@code --port} and {@code --bind-address} ({@code --flag value} or
     * {@code --flag=value}).
     *
     * @throws IllegalArgumentException naming the first unknown, bad or missing flag
     */
    public static EchoCommand parse(String[] args) {
        String name = null;
        String bind = "0.0.0.0";
        int port = 8080;
        for (int i = 0; i < args.length; i++) {
            String flag = args[i];
            String value;
            int eq = flag.indexOf('=');
            if (flag.startsWith("--") && eq > 0) {
                value = flag.substring(eq + 1);
                flag = flag.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException(flag + " needs a value");
            }
            switch (flag) {
                case "--name" -> name = value;
                case "--bind-address" -> bind = value;
                case "--port" -> port = parsePort(value);
                default -> throw new IllegalArgumentException("unknown flag " + flag);
            }
        }
        if (name == null) {
            throw new IllegalArgumentException("--name is required");
        }
        return new EchoCommand(name, bind, port);
    }

    private static int parsePort(String value) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got " + value, e);
        }
    }

    /** Starts the backend; it serves until closed. */
    public EchoBackend start() throws IOException {
        return new EchoBackend(name, new InetSocketAddress(bindAddress, port)).start();
    }
}
