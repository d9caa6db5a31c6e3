package io.sluice.operator.run;

import io.fabric8.kubernetes.client.KubernetesClient;
import io.micrometer.core.instrument.MeterRegistry;
import io.sluice.operator.push.FleetListener;
import io.sluice.operator.push.FleetStatus;
import io.sluice.operator.push.ProxyAddress;
import io.sluice.operator.push.ProxyDirectory;
import io.sluice.operator.push.ProxyPushClient;
import io.sluice.operator.push.SnapshotPusher;
import io.sluice.operator.translate.IncrementalTranslator;
import io.sluice.snapshot.SnapshotCodec;
import io.sluice.snapshot.SnapshotVersion;
import java.time.Clock;
import java.util.Objects;

/**
 * Everything only the leader runs, for one leader epoch: the snapshot loop, the pusher with its proxy directory
 * and fleet status, and the status writer. Built when this replica starts leading, closed when it stops; the
 * {@link ClusterCache} outlives it so a new leader starts from warm caches.
 *
 * <p>Meters are registered on the registry given; a later session re-registers the same meters, which the
 * registry returns as they are.
 */
public final class LeaderSession implements AutoCloseable {
    private final FleetStatus fleet;
    private final SnapshotPusher pusher;
    private final ProxyDirectory directory;
    private final StatusWriter statusWriter;
    private final SnapshotLoop loop;

    private LeaderSession(FleetStatus fleet, SnapshotPusher pusher, ProxyDirectory directory,
            StatusWriter statusWriter, SnapshotLoop loop) {
        this.fleet = fleet;
        this.pusher = pusher;
        this.directory = directory;
        this.statusWriter = statusWriter;
        this.loop = loop;
    }

    /**
     * Starts pushing and writing status with {@code epoch}; triggers the first rebuild at once.
     *
     * @param onDeposed called (on the push thread) when a proxy holds a snapshot of a later epoch: another
     *                  replica leads, this one must stop
     */
    public static LeaderSession start(KubernetesClient client, ClusterCache cache, long epoch, RunSettings settings,
            ProxyPushClient pushClient, MeterRegistry registry, Clock clock, Runnable onDeposed) {
        Objects.requireNonNull(settings, "settings");
        SnapshotCodec codec = new SnapshotCodec();
        FleetStatus fleet = new FleetStatus(registry, clock);
        SnapshotPusher pusher = new SnapshotPusher(pushClient, codec, fleet, registry, settings.push());
        PublishedVersions versions = new PublishedVersions();
        StatusWriter statusWriter = new StatusWriter(client, cache, fleet, versions, settings.addresses(),
                new RejectionEvents(client, cache::primary, clock), settings.statusRefresh(), registry, clock);
        fleet.addListener(statusWriter);
        fleet.addListener(new FleetListener() {
            @Override
            public void fleetReached(SnapshotVersion version) {
            }

            @Override
            public void deposed(SnapshotVersion newer, ProxyAddress seenAt) {
                onDeposed.run();
            }
        });
        SnapshotLoop loop = new SnapshotLoop(() -> cache.view(settings.options()), new IncrementalTranslator(), codec,
                epoch, pusher::publish, versions, statusWriter::translated, settings.quietPeriod(), settings.maxDelay(),
                registry, clock);
        ProxyDirectory directory = new ProxyDirectory(client, settings.proxyAdminService(), pusher);
        directory.start();
        loop.changed();
        return new LeaderSession(fleet, pusher, directory, statusWriter, loop);
    }

    /** Something in the cluster changed. */
    public void changed() {
        loop.changed();
    }

    public FleetStatus fleet() {
        return fleet;
    }

    public SnapshotLoop loop() {
        return loop;
    }

    @Override
    public void close() {
        directory.close();
        loop.close();
        pusher.close();
        statusWriter.close();
    }
}
