package io.sluice.operator.crd;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

/**
 * One TCP route of an {@link IngressRouteTCP}.
 *
 * @param match       {@code HostSNI(`a.example.com`)}, {@code HostSNI(`*`)}, {@code HostSNIRegexp(`^.+\.example\.com$`)},
 *                    several of them joined by {@code ||}, or one {@code HostSNI} with several names
 * @param priority    0 or absent uses the length of {@code match} (Traefik); higher wins
 * @param middlewares accepted so Traefik manifests parse; TCP middlewares are not supported and are refused
 * @param services    where matching connections go, split by weight
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TcpRoute(
        @Required @Size(min = 1, max = 4096) String match,
        @Min(0) @Max(Integer.MAX_VALUE) Integer priority,
        List<MiddlewareRef> middlewares,
        @Required @Size(min = 1) List<TcpServiceRef> services) {
}
