package io.sluice.operator.run;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.sluice.operator.translate.ClusterView;
import io.sluice.operator.translate.ObjectRef;
import io.sluice.operator.translate.Problem;
import io.sluice.operator.translate.IncrementalTranslator;
import io.sluice.operator.translate.Translation;
import io.sluice.operator.translate.Translator;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns "something changed" signals into published snapshots: waits until the cluster has been quiet for
 * {@code quietPeriod} (or at most {@code maxDelay} after the first unhandled signal), reads the whole view,
 * translates it, and publishes a new version only when the content hash differs from the last published one.
 *
 * <p>Everything runs on one thread ({@code sluice-snapshot}), so there is one rebuild at a time and the latest
 * state always wins: signals arriving during a rebuild schedule exactly one more. Versions are
 * {@code epoch.sequence} with the leader's epoch; every translation (published or not) is handed to
 * {@code onTranslated} for status.
 *
 * <p>Metrics: {@code sluice_reconciles_total}, {@code sluice_snapshot_build_seconds}, {@code sluice_snapshot_bytes}
 * (size of the last published snapshot), {@code sluice_objects_invalid{kind}} and
 * {@code sluice_translate_objects_total{result=reused|translated}} (route objects taken from the
 * {@link IncrementalTranslator}'s cache or translated again).
 */
public final class SnapshotLoop implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SnapshotLoop.class);
    static final List<String> KINDS = List.of("Ingress", "IngressRoute", "Middleware", "TraefikService",
            "IngressRouteTCP");

    private final Supplier<ClusterView> views;
    private final IncrementalTranslator translator;
    private final SnapshotCodec codec;
    private final BiConsumer<RoutingSnapshot, Instant> publisher;
    private final PublishedVersions versions;
    private final Consumer<Translation> onTranslated;
    private final Duration quietPeriod;
    private final Duration maxDelay;
    private final Clock clock;
    private final Counter reconciles;
    private final Counter reusedObjects;
    private final Counter translatedObjects;
    private final Timer buildTime;
    private final AtomicLong snapshotBytes = new AtomicLong();
    private final Map<String, AtomicLong> invalid = new LinkedHashMap<>();
    private final ScheduledExecutorService thread;

    private SnapshotVersion last;
    private String lastHash;
    private Instant firstPendingSignal;
    private ScheduledFuture<?> pending;

    /** As below, translating incrementally with {@code translator}'s rule check. */
    public SnapshotLoop(Supplier<ClusterView> views, Translator translator, SnapshotCodec codec, long epoch,
            BiConsumer<RoutingSnapshot, Instant> publisher, PublishedVersions versions,
            Consumer<Translation> onTranslated, Duration quietPeriod, Duration maxDelay, MeterRegistry registry,
            Clock clock) {
        this(views, translator.incremental(), codec, epoch, publisher, versions, onTranslated, quietPeriod, maxDelay,
                registry, clock);
    }

    /**
     * @param translator keeps route objects' results between rebuilds; this loop's own (one thread uses it)
     * @param epoch      the leader epoch: the first published version is {@code epoch.1}
     * @param publisher  where snapshots go ({@code SnapshotPusher::publish})
     */
    public SnapshotLoop(Supplier<ClusterView> views, IncrementalTranslator translator, SnapshotCodec codec,
            long epoch, BiConsumer<RoutingSnapshot, Instant> publisher, PublishedVersions versions,
            Consumer<Translation> onTranslated, Duration quietPeriod, Duration maxDelay, MeterRegistry registry,
            Clock clock) {
        this.views = Objects.requireNonNull(views, "views");
        this.translator = Objects.requireNonNull(translator, "translator");
        this.codec = Objects.requireNonNull(codec, "codec");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
        this.versions = Objects.requireNonNull(versions, "versions");
        this.onTranslated = Objects.requireNonNull(onTranslated, "onTranslated");
        this.quietPeriod = Objects.requireNonNull(quietPeriod, "quietPeriod");
        this.maxDelay = Objects.requireNonNull(maxDelay, "maxDelay");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.last = new SnapshotVersion(epoch, 0);
        this.reconciles = Counter.builder("sluice.reconciles")
                .description("Translations of the cluster view into a snapshot").register(registry);
        this.reusedObjects = Counter.builder("sluice.translate.objects").tag("result", "reused")
                .description("Route objects whose cached translation was reused").register(registry);
        this.translatedObjects = Counter.builder("sluice.translate.objects").tag("result", "translated")
                .description("Route objects translated again because they or an input they read changed")
                .register(registry);
        this.buildTime = Timer.builder("sluice.snapshot.build")
                .description("Time to read the cluster view, translate and encode it").register(registry);
        Gauge.builder("sluice.snapshot.bytes", snapshotBytes, AtomicLong::get).baseUnit("bytes")
                .description("Encoded size of the last published snapshot").register(registry);
        for (String kind : KINDS) {
            AtomicLong count = new AtomicLong();
            invalid.put(kind, count);
            Gauge.builder("sluice.objects.invalid", count, AtomicLong::get).tag("kind", kind)
                    .description("Objects with at least one problem in the last translation").register(registry);
        }
        this.thread = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "sluice-snapshot");
            t.setDaemon(true);
            return t;
        });
    }

    /** Something in the cluster changed: rebuild soon. Cheap, any thread. */
    public void changed() {
        Instant seen = clock.instant();
        try {
            thread.execute(() -> schedule(seen));
        } catch (RejectedExecutionException e) {
            LOG.debug("change signal after close ignored");
        }
    }

    /** The last published version ({@code epoch.0} before the first). */
    public SnapshotVersion lastPublished() {
        try {
            return thread.submit(() -> last).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (java.util.concurrent.ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    @Override
    public void close() {
        thread.shutdownNow();
    }

    private void schedule(Instant seen) {
        if (firstPendingSignal == null) {
            firstPendingSignal = seen;
        }
        if (pending != null) {
            pending.cancel(false);
        }
        Duration untilCap = maxDelay.minus(Duration.between(firstPendingSignal, clock.instant()));
        Duration wait = untilCap.compareTo(quietPeriod) < 0 ? untilCap : quietPeriod;
        pending = thread.schedule(this::rebuild, Math.max(0, wait.toMillis()), TimeUnit.MILLISECONDS);
    }

    private void rebuild() {
        Instant cause = firstPendingSignal == null ? clock.instant() : firstPendingSignal;
        firstPendingSignal = null;
        pending = null;
        try {
            Timer.Sample sample = Timer.start();
            Translation translation = translator.translate(views.get());
            RoutingSnapshot candidate = translation.toSnapshot(last.next());
            String hash = codec.contentHash(candidate);
            reconciles.increment();
            reusedObjects.increment(translator.lastReuse().reused());
            translatedObjects.increment(translator.lastReuse().translated());
            countInvalid(translation.problems());
            if (hash.equals(lastHash)) {
                sample.stop(buildTime);
                versions.unchanged(translation.statuses());
                LOG.debug("rebuild changed nothing; still serving {}", last);
            } else {
                int size = codec.encode(candidate).length;
                sample.stop(buildTime);
                last = candidate.version();
                lastHash = hash;
                snapshotBytes.set(size);
                versions.published(last, translation.statuses());
                LOG.info("snapshot {}: {} routers, {} services, {} problems, {} bytes", last,
                        translation.routers().size(), translation.services().size(), translation.problems().size(),
                        size);
                publisher.accept(candidate, cause);
            }
            onTranslated.accept(translation);
        } catch (RuntimeException e) {
            LOG.error("snapshot rebuild failed; will retry on the next change", e);
        }
    }

    private void countInvalid(List<Problem> problems) {
        Map<String, Set<ObjectRef>> byKind = new LinkedHashMap<>();
        for (Problem problem : problems) {
            byKind.computeIfAbsent(problem.ref().kind(), k -> new HashSet<>()).add(problem.ref());
        }
        invalid.forEach((kind, count) -> count.set(byKind.getOrDefault(kind, Set.of()).size()));
    }
}
