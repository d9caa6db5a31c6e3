/**
 * The routing snapshot: the contract between the operator and the proxy.
 *
 * <p>Immutable records and sealed interfaces, JSON on the wire (see {@link io.sluice.snapshot.SnapshotCodec}).
 * This package must import neither Netty nor fabric8 (enforced by an ArchUnit test): the operator builds
 * snapshots with it and the proxy compiles them.
 */
package io.sluice.snapshot;
