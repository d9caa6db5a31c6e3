package io.sluice.operator;

import io.sluice.operator.run.ClusterMode;
import io.sluice.operator.standalone.EchoBackend;
import io.sluice.operator.standalone.EchoCommand;
import io.sluice.operator.standalone.StandaloneMode;
import io.sluice.proxy.NettyDataPlane;
import io.sluice.proxy.config.ConfigException;
import io.sluice.proxy.config.ProxyConfig;
import io.sluice.proxy.config.ProxyConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The operator jar's one wiring point. Commands:
 * <ul>
 *   <li>{@code run [flags]}: the operator in a cluster (informers, translation, push to the proxy fleet, status);
 *       see {@link ClusterMode}.</li>
 *   <li>{@code standalone <dir> [--echo-backends] [proxy flags]}: translator and proxy in one process over a
 *       directory of manifests.</li>
 *   <li>{@code echo --name NAME [--port PORT]}: a demo echo backend alone, for backend Deployments that use the
 *       operator image; see {@link EchoCommand}.</li>
 * </ul>
 */
public final class OperatorMain {
    private static final String USAGE = """
            usage: java -jar sluice-operator.jar run --proxy-admin-service ns/name --push-token-file FILE [flags]
                   java -jar sluice-operator.jar standalone <dir> [--echo-backends] [proxy flags]
                   java -jar sluice-operator.jar echo --name NAME [--port PORT] [--bind-address ADDRESS]

              run          the operator in a cluster; `run --help` lists its flags (docs/operator.md)

              standalone   serve the Ingress, IngressRoute, Middleware, TraefikService, Service, EndpointSlice
                           and Secret objects in <dir> (the same YAML you would kubectl apply) with an
                           in-process proxy; reloads when a file changes
              --echo-backends
                           start a small echo server on every 127.0.0.1 endpoint the EndpointSlices name
              proxy flags  any flag of sluice-proxy.jar (--web-port, --health-port, ...; see docs/proxy-config.md)

              echo         one demo echo backend (answers X-Backend: NAME and echoes the request), default port
                           8080 on 0.0.0.0: a backend Deployment from the operator image (docs/e2e.md)
            """;

    private OperatorMain() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            System.out.print(USAGE);
            System.exit(args.length == 0 ? 2 : 0);
        }
        if (args[0].equals("run")) {
            System.exit(ClusterMode.run(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args[0].equals("standalone")) {
            System.exit(standalone(Arrays.copyOfRange(args, 1, args.length)));
        }
        if (args[0].equals("echo")) {
            System.exit(echo(Arrays.copyOfRange(args, 1, args.length)));
        }
        System.err.println("sluice-operator: unknown command " + args[0] + "\n" + USAGE);
        System.exit(2);
    }

    private static int echo(String[] args) throws Exception {
        EchoCommand command;
        try {
            command = EchoCommand.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("sluice-operator echo: " + e.getMessage() + "\n" + EchoCommand.USAGE);
            return 2;
        }
        EchoBackend backend = command.start();
        System.out.println("echo backend " + command.name() + " listening on " + command.bindAddress() + ":"
                + backend.port());
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            backend.close();
            stopped.countDown();
        }, "sluice-echo-shutdown"));
        stopped.await();
        return 0;
    }

    private static int standalone(String[] args) throws Exception {
        if (args.length == 0 || args[0].startsWith("--")) {
            System.err.println("sluice-operator standalone: the manifest directory is required\n" + USAGE);
            return 2;
        }
        Path dir = Path.of(args[0]);
        if (!Files.isDirectory(dir)) {
            System.err.println("sluice-operator standalone: " + dir + " is not a directory");
            return 2;
        }
        boolean echo = false;
        List<String> proxyFlags = new ArrayList<>();
        for (String arg : Arrays.copyOfRange(args, 1, args.length)) {
            if (arg.equals("--echo-backends")) {
                echo = true;
            } else {
                proxyFlags.add(arg);
            }
        }
        ProxyConfig config;
        try {
            config = new ProxyConfigLoader().load(proxyFlags.toArray(String[]::new));
        } catch (ConfigException e) {
            System.err.println("sluice-operator standalone: " + e.getMessage());
            return 2;
        }
        StandaloneMode mode = new StandaloneMode(dir, echo, config, new NettyDataPlane(config), System.out);
        mode.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            mode.close();
            stopped.countDown();
        }, "sluice-standalone-shutdown"));
        stopped.await();
        return 0;
    }
}
