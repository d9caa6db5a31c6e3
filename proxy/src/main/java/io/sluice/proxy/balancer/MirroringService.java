package io.sluice.proxy.balancer;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntUnaryOperator;

/**
 * A {@code Service.Mirroring}: every request goes to the main service; for each mirror, a share of the requests
 * ({@code percent}) is also copied there. The copies are sent by the exchange after the request body is read
 * (see {@code RequestMirror}); their answers are discarded. A mirror without a usable endpoint is skipped.
 */
public final class MirroringService implements ServiceBalancer {

    /** A mirror service and the percentage of requests copied to it. */
    public record Mirror(ServiceBalancer service, int percent) {
    }

    private final ServiceBalancer main;
    private final List<Mirror> mirrors;
    private final long maxBodySize;
    private final IntUnaryOperator random;

    public MirroringService(ServiceBalancer main, List<Mirror> mirrors, long maxBodySize) {
        this(main, mirrors, maxBodySize, bound -> ThreadLocalRandom.current().nextInt(bound));
    }

    /** @param random returns a number in {@code [0, bound)} */
    public MirroringService(ServiceBalancer main, List<Mirror> mirrors, long maxBodySize, IntUnaryOperator random) {
        this.main = main;
        this.mirrors = List.copyOf(mirrors);
        this.maxBodySize = maxBodySize;
        this.random = random;
    }

    @Override
    public UpstreamTarget pick(RequestCookies cookies) {
        UpstreamTarget target = main.pick(cookies);
        if (target == null) {
            return null;
        }
        List<UpstreamTarget> copies = new ArrayList<>(mirrors.size());
        for (Mirror mirror : mirrors) {
            if (mirror.percent() > 0 && random.applyAsInt(100) < mirror.percent()) {
                UpstreamTarget copy = mirror.service().pick(RequestCookies.NONE);
                if (copy != null) {
                    copies.add(copy);
                }
            }
        }
        return copies.isEmpty() ? target : target.withMirror(new MirrorPlan(copies, maxBodySize));
    }
}
