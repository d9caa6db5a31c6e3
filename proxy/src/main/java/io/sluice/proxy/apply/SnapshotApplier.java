package io.sluice.proxy.apply;

import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.snapshot.RoutingSnapshot;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotValidator;
import io.sluice.snapshot.SnapshotVersion;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns a pushed snapshot document into what serves traffic, all or nothing: decode, validate, check the version,
 * compile, then swap the {@link ActiveSnapshot} reference. Any problem leaves the old snapshot serving and the
 * result names every problem found. Work runs on one thread of its own, never on an event loop, so applies are
 * serialized and the data path only ever sees the final swap.
 *
 * @param <C> the compiled form the data path reads
 */
public final class SnapshotApplier<C> implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SnapshotApplier.class);

    private final SnapshotCodec codec = new SnapshotCodec();
    private final SnapshotValidator validator = new SnapshotValidator();
    private final SnapshotCompiler<C> compiler;
    private final ActiveSnapshot<C> active;
    private final LastKnownGoodFile lastKnownGood;
    private final SnapshotApplyMetrics metrics;
    private final ExecutorService executor;

    /** The snapshot behind what is serving and its content hash; written on the executor only. */
    private volatile Installed installed;

    private record Installed(RoutingSnapshot snapshot, String contentHash) {
    }

    /**
     * @param lastKnownGood where to keep the last applied snapshot; null to keep none
     */
    public SnapshotApplier(SnapshotCompiler<C> compiler, ActiveSnapshot<C> active, MeterRegistry registry,
            LastKnownGoodFile lastKnownGood) {
        this.compiler = Objects.requireNonNull(compiler, "compiler");
        this.active = Objects.requireNonNull(active, "active");
        this.lastKnownGood = lastKnownGood;
        this.metrics = new SnapshotApplyMetrics(registry);
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "sluice-snapshot-apply");
            t.setDaemon(true);
            return t;
        });
    }

    /** Applies a snapshot document; the future completes (never exceptionally) with what became of it. */
    public CompletableFuture<ApplyResult> apply(byte[] json) {
        Objects.requireNonNull(json, "json");
        return CompletableFuture.supplyAsync(() -> applyTimed(json, true), executor);
    }

    /**
     * Applies the last-known-good file, if one is configured and present. A file that cannot be read or applied is
     * logged and ignored: the proxy then waits for the operator's first push.
     *
     * @return the result, or empty when there was no file to apply
     */
    public CompletableFuture<Optional<ApplyResult>> loadLastKnownGood() {
        if (lastKnownGood == null) {
            return CompletableFuture.completedFuture(Optional.empty());
        }
        return CompletableFuture.supplyAsync(this::applyLastKnownGood, executor);
    }

    /** The version serving now, if any. */
    public Optional<SnapshotVersion> servingVersion() {
        ActiveSnapshot.Applied<C> now = active.current();
        return now == null ? Optional.empty() : Optional.of(now.version());
    }

    /** The snapshot this applier last installed, if any (for debug views; holds keys, never print it whole). */
    public Optional<RoutingSnapshot> appliedSnapshot() {
        Installed now = installed;
        return now == null ? Optional.empty() : Optional.of(now.snapshot());
    }

    /** Stops the apply thread; applies already queued finish first. */
    @Override
    public void close() {
        executor.shutdown();
        try {
            if (!executor.awaitTermination(10, TimeUnit.SECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    private Optional<ApplyResult> applyLastKnownGood() {
        Optional<byte[]> json;
        try {
            json = lastKnownGood.read();
        } catch (IOException e) {
            log.warn("ignoring last-known-good file {}: cannot read it: {}", lastKnownGood.path(), e.toString());
            return Optional.empty();
        }
        if (json.isEmpty()) {
            log.info("no last-known-good file at {}; waiting for the first push", lastKnownGood.path());
            return Optional.empty();
        }
        ApplyResult result = applyTimed(json.get(), false);
        if (!result.accepted()) {
            log.warn("ignoring last-known-good file {}: {}", lastKnownGood.path(), result.problems());
        }
        return Optional.of(result);
    }

    private ApplyResult applyTimed(byte[] json, boolean remember) {
        long start = System.nanoTime();
        ApplyResult result = applyNow(json, remember);
        Duration took = Duration.ofNanos(System.nanoTime() - start);
        metrics.record(result, took);
        if (result.outcome() == ApplyResult.Outcome.APPLIED) {
            log.info("snapshot {} applied ({}) in {} ms", result.serving(), result.kind().label(), took.toMillis());
        } else if (!result.accepted()) {
            log.warn("snapshot {} refused ({}), {} keeps serving: {}", result.offered(), result.outcome(),
                    result.serving(), result.problems());
        }
        return result;
    }

    private ApplyResult applyNow(byte[] json, boolean remember) {
        RoutingSnapshot snapshot;
        try {
            snapshot = codec.decode(json);
        } catch (SnapshotCodec.SnapshotDecodeException e) {
            return refused(ApplyResult.Outcome.INVALID, null, List.of("cannot read snapshot: " + e.getMessage()));
        }
        SnapshotVersion offered = snapshot.version();
        SnapshotVersion serving = servingVersion().orElse(null);
        String hash = codec.contentHash(snapshot);

        List<String> problems = new ArrayList<>();
        boolean stale = serving != null && !offered.isNewerThan(serving);
        if (stale && offered.equals(serving)) {
            Installed now = installed;
            if (now != null && now.snapshot().version().equals(offered) && now.contentHash().equals(hash)) {
                return new ApplyResult(ApplyResult.Outcome.UNCHANGED, offered, serving, List.of());
            }
            problems.add("snapshot " + offered + " is already serving with different content; "
                    + "send a newer version");
        } else if (stale) {
            problems.add("snapshot " + offered + " is older than the one serving (" + serving + ")");
        }
        List<String> structural = validator.validate(snapshot);
        problems.addAll(structural);
        Compiled<C> compiled = structural.isEmpty() ? compile(snapshot, problems) : null;
        if (!problems.isEmpty()) {
            return refused(stale ? ApplyResult.Outcome.STALE : ApplyResult.Outcome.INVALID, offered, problems);
        }
        if (!active.installIfNewer(new ActiveSnapshot.Applied<>(offered, compiled.value()))) {
            return refused(ApplyResult.Outcome.STALE, offered,
                    List.of("a snapshot newer than " + offered + " was installed meanwhile"));
        }
        installed = new Installed(snapshot, hash);
        if (remember) {
            remember(json, offered);
        }
        return new ApplyResult(ApplyResult.Outcome.APPLIED, offered, offered, List.of(), compiled.kind());
    }

    /** A compiled snapshot and how it was compiled. */
    private record Compiled<C>(C value, ApplyKind kind) {
    }

    /**
     * Compiles, adding the compiler's problems to {@code problems}; null when it refused. When the snapshot differs
     * from the one serving only in endpoint lists, the compiler may reuse what is serving; if it cannot, or fails
     * unexpectedly on that path, the snapshot is compiled whole.
     */
    private Compiled<C> compile(RoutingSnapshot snapshot, List<String> problems) {
        Installed now = installed;
        ActiveSnapshot.Applied<C> serving = active.current();
        if (now != null && serving != null && now.snapshot().version().equals(serving.version())) {
            Optional<EndpointOnlyChange> change = EndpointOnlyChange.between(now.snapshot(), snapshot);
            if (change.isPresent()) {
                try {
                    C compiled = compiler.compileEndpointChange(serving.compiled(), change.get());
                    if (compiled != null) {
                        return new Compiled<>(compiled, ApplyKind.ENDPOINTS);
                    }
                } catch (SnapshotRejectedException e) {
                    problems.addAll(e.problems());
                    return null;
                } catch (RuntimeException e) {
                    log.error("compiling the endpoint change of snapshot {} failed unexpectedly; compiling it whole",
                            snapshot.version(), e);
                }
            }
        }
        try {
            C compiled = Objects.requireNonNull(compiler.compile(snapshot), "compiler returned null");
            return new Compiled<>(compiled, ApplyKind.FULL);
        } catch (SnapshotRejectedException e) {
            problems.addAll(e.problems());
        } catch (RuntimeException e) {
            log.error("compiling snapshot {} failed unexpectedly", snapshot.version(), e);
            problems.add("internal error while compiling: " + e.getClass().getSimpleName());
        }
        return null;
    }

    private ApplyResult refused(ApplyResult.Outcome outcome, SnapshotVersion offered, List<String> problems) {
        return new ApplyResult(outcome, offered, servingVersion().orElse(null), problems);
    }

    private void remember(byte[] json, SnapshotVersion version) {
        if (lastKnownGood == null) {
            return;
        }
        try {
            lastKnownGood.write(json);
        } catch (IOException e) {
            log.warn("snapshot {} applied but not saved to {}: {}", version, lastKnownGood.path(), e.toString());
        }
    }
}
