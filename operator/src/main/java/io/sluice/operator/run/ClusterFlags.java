package io.sluice.operator.run;

import io.sluice.operator.push.ServiceRef;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * The command line of cluster mode ({@code docs/operator.md} lists every flag). Flags take {@code --name value}
 * or {@code --name=value}; {@code --allow-cross-namespace} and {@code --no-leader-election} take no value.
 *
 * @param leaderElectionNamespace null: the pod's own namespace
 * @param publishService          null: addresses from {@code publishAddresses}, or none
 */
public record ClusterFlags(ServiceRef proxyAdminService, Path pushTokenFile, Path pushCaFile, String ingressClass,
        ServiceRef publishService, List<String> publishAddresses, List<String> watchNamespaces,
        boolean allowCrossNamespace, boolean leaderElection, String leaderElectionNamespace, String leaseName,
        int healthPort, String defaultCertificate) {

    static final String USAGE = String.join("\n",
            "usage: java -jar sluice-operator.jar run --proxy-admin-service ns/name --push-token-file FILE [options]",
            "  --proxy-admin-service ns/name   Service whose EndpointSlices list the proxies' push ports (required)",
            "  --push-token-file FILE          bearer token the proxies expect on pushes (required)",
            "  --push-ca-file FILE             push over HTTPS, trusting this CA (PEM) for the proxies",
            "  --ingress-class NAME            ingress class handled (default sluice)",
            "  --publish-service ns/name       copy this Service's load balancer addresses to our Ingresses",
            "  --publish-address A,B           or give the Ingress addresses (IPs or host names) directly",
            "  --watch-namespaces A,B          only watch these namespaces (default: all)",
            "  --allow-cross-namespace         let references name objects in other namespaces",
            "  --leader-election-namespace NS  namespace of the Lease (default: the pod's namespace)",
            "  --lease-name NAME               name of the Lease (default sluice-operator)",
            "  --no-leader-election            run as the only replica, without a Lease",
            "  --health-port PORT              /live, /ready and /metrics (default 8081)",
            "  --default-certificate ns/name   kubernetes.io/tls Secret the proxies serve for unknown names",
            "");

    public ClusterFlags {
        Objects.requireNonNull(proxyAdminService, "proxyAdminService");
        Objects.requireNonNull(pushTokenFile, "pushTokenFile");
        Objects.requireNonNull(ingressClass, "ingressClass");
        publishAddresses = List.copyOf(publishAddresses);
        watchNamespaces = List.copyOf(watchNamespaces);
        Objects.requireNonNull(leaseName, "leaseName");
    }

    /** Flags without {@code --default-certificate}. */
    public ClusterFlags(ServiceRef proxyAdminService, Path pushTokenFile, Path pushCaFile, String ingressClass,
            ServiceRef publishService, List<String> publishAddresses, List<String> watchNamespaces,
            boolean allowCrossNamespace, boolean leaderElection, String leaderElectionNamespace, String leaseName,
            int healthPort) {
        this(proxyAdminService, pushTokenFile, pushCaFile, ingressClass, publishService, publishAddresses,
                watchNamespaces, allowCrossNamespace, leaderElection, leaderElectionNamespace, leaseName, healthPort,
                null);
    }

    /** @throws IllegalArgumentException naming the first bad, unknown or missing flag */
    public static ClusterFlags parse(String[] args) {
        ServiceRef admin = null;
        Path token = null;
        Path ca = null;
        String ingressClass = "sluice";
        ServiceRef publishService = null;
        List<String> publishAddresses = List.of();
        List<String> namespaces = List.of();
        boolean crossNamespace = false;
        boolean election = true;
        String leaseNamespace = null;
        String leaseName = "sluice-operator";
        int healthPort = 8081;
        String defaultCertificate = null;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg;
            String value = null;
            int eq = arg.indexOf('=');
            if (arg.startsWith("--") && eq > 0) {
                name = arg.substring(0, eq);
                value = arg.substring(eq + 1);
            }
            if (name.equals("--allow-cross-namespace") || name.equals("--no-leader-election")) {
                if (value != null) {
                    throw new IllegalArgumentException(name + " takes no value");
                }
                if (name.equals("--allow-cross-namespace")) {
                    crossNamespace = true;
                } else {
                    election = false;
                }
                continue;
            }
            if (!KNOWN_WITH_VALUE.contains(name)) {
                throw new IllegalArgumentException("unknown flag " + name);
            }
            if (value == null) {
                if (i + 1 >= args.length || args[i + 1].startsWith("--")) {
                    throw new IllegalArgumentException(name + " needs a value");
                }
                value = args[++i];
            }
            switch (name) {
                case "--proxy-admin-service":
                    admin = service(name, value);
                    break;
                case "--push-token-file":
                    token = Path.of(value);
                    break;
                case "--push-ca-file":
                    ca = Path.of(value);
                    break;
                case "--ingress-class":
                    ingressClass = nonBlank(name, value);
                    break;
                case "--publish-service":
                    publishService = service(name, value);
                    break;
                case "--publish-address":
                    publishAddresses = list(value);
                    break;
                case "--watch-namespaces":
                    namespaces = list(value);
                    break;
                case "--leader-election-namespace":
                    leaseNamespace = nonBlank(name, value);
                    break;
                case "--lease-name":
                    leaseName = nonBlank(name, value);
                    break;
                case "--default-certificate":
                    defaultCertificate = service(name, value).toString();
                    break;
                default:
                    healthPort = port(name, value);
                    break;
            }
        }
        if (admin == null) {
            throw new IllegalArgumentException("--proxy-admin-service is required");
        }
        if (token == null) {
            throw new IllegalArgumentException("--push-token-file is required");
        }
        if (publishService != null && !publishAddresses.isEmpty()) {
            throw new IllegalArgumentException("give --publish-service or --publish-address, not both");
        }
        return new ClusterFlags(admin, token, ca, ingressClass, publishService, publishAddresses, namespaces,
                crossNamespace, election, leaseNamespace, leaseName, healthPort, defaultCertificate);
    }

    private static final List<String> KNOWN_WITH_VALUE = List.of("--proxy-admin-service", "--push-token-file",
            "--push-ca-file", "--ingress-class", "--publish-service", "--publish-address", "--watch-namespaces",
            "--leader-election-namespace", "--lease-name", "--health-port", "--default-certificate");

    private static ServiceRef service(String flag, String value) {
        try {
            return ServiceRef.parse(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(flag + ": " + e.getMessage(), e);
        }
    }

    private static String nonBlank(String flag, String value) {
        if (value.isBlank()) {
            throw new IllegalArgumentException(flag + " must not be empty");
        }
        return value.strip();
    }

    private static List<String> list(String value) {
        List<String> items = new ArrayList<>();
        Arrays.stream(value.split(",")).map(String::strip).filter(s -> !s.isEmpty()).forEach(items::add);
        return items;
    }

    private static int port(String flag, String value) {
        try {
            int port = Integer.parseInt(value.strip());
            if (port < 0 || port > 65535) {
                throw new NumberFormatException();
            }
            return port;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(flag + " must be a port number (0-65535): " + value, e);
        }
    }
}
