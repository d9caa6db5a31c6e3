package io.sluice.proxy.entrypoint;

import io.netty.handler.ssl.SslContext;
import io.netty.util.Mapping;
import io.sluice.proxy.apply.ActiveSnapshot;
import io.sluice.proxy.apply.CompiledSnapshot;
import io.sluice.proxy.tls.SniCertificates;

/**
 * Chooses the TLS context for a handshake from the snapshot serving at that moment, so certificates rotate with
 * snapshots: new handshakes see the new certificate, established connections keep theirs. Before the first
 * snapshot (or when it carries no certificates) the default certificate answers.
 */
public final class SnapshotSniMapping implements Mapping<String, SslContext> {
    private final ActiveSnapshot<CompiledSnapshot> active;
    private final SniCertificates fallback;

    public SnapshotSniMapping(ActiveSnapshot<CompiledSnapshot> active, SniCertificates fallback) {
        this.active = active;
        this.fallback = fallback;
    }

    @Override
    public SslContext map(String serverName) {
        ActiveSnapshot.Applied<CompiledSnapshot> now = active.current();
        SniCertificates certificates = now == null ? null : now.compiled().certificates();
        return (certificates != null ? certificates : fallback).map(serverName);
    }
}
