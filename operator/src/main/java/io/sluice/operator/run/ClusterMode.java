package io.sluice.operator.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.PrintStream;
import java.net.InetAddress;
import java.time.Clock;
import java.util.Arrays;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point of the operator in a cluster: {@code ClusterMode.run(args)} parses the flags ({@link ClusterFlags}),
 * connects with the kubeconfig or in-cluster service account, runs a {@link ClusterOperator} until SIGTERM or the
 * loss of leadership, and returns the process exit code: 0 after a clean stop, 1 when leadership was lost or
 * startup failed (the pod restarts and competes again), 2 for bad flags.
 */
public final class ClusterMode {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterMode.class);

    private ClusterMode() {
    }

    public static int run(String[] args) {
        return run(args, System.out, System.err);
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (Arrays.asList(args).contains("--help")) {
            out.print(ClusterFlags.USAGE);
            return 0;
        }
        ClusterFlags flags;
        try {
            flags = ClusterFlags.parse(args);
        } catch (IllegalArgumentException e) {
            err.println("sluice-operator: " + e.getMessage());
            err.print(ClusterFlags.USAGE);
            return 2;
        }
        try (KubernetesClient client = new KubernetesClientBuilder().build()) {
            ClusterOperator operator = new ClusterOperator(client, flags, identity(),
                    new PrometheusMeterRegistry(PrometheusConfig.DEFAULT), Clock.systemUTC());
            CountDownLatch closed = new CountDownLatch(1);
            Thread hook = new Thread(() -> {
                operator.close();
                awaitQuietly(closed);
            }, "sluice-shutdown");
            Runtime.getRuntime().addShutdownHook(hook);
            try {
                operator.start();
                ClusterOperator.Ending ending = operator.await();
                return ending == ClusterOperator.Ending.LOST_LEADERSHIP ? 1 : 0;
            } finally {
                operator.close();
                closed.countDown();
            }
        } catch (Exception e) {
            LOG.error("operator failed", e);
            err.println("sluice-operator: " + e.getMessage());
            return 1;
        }
    }

    /** Unique per process start, as {@link io.sluice.operator.leader.LeaseElection} requires. */
    private static String identity() {
        String pod = System.getenv("POD_NAME");
        if (pod == null || pod.isBlank()) {
            try {
                pod = InetAddress.getLocalHost().getHostName();
            } catch (java.net.UnknownHostException e) {
                pod = "sluice-operator";
            }
        }
        return pod + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
