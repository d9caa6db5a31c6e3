#!/usr/bin/env bash
# Builds the proxy and operator images as OCI tarballs without a registry or a Docker daemon:
# the JRE base comes from images/build-jre-rootfs.sh, the application layers from Jib.
#
#   images/build-offline.sh            # -> proxy/target/sluice-proxy-image.tar, operator/target/sluice-operator-image.tar
#
# Load them with `docker load -i ...` / `ctr images import ...` / `kind load image-archive ...`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
cd "$ROOT"
images/build-jre-rootfs.sh "$ROOT/images/target/rootfs"
./mvnw -B -ntp -q -P offline-image -pl proxy,operator -am -DskipTests package jib:buildTar \
  -Djib.console=plain "$@"
ls -la proxy/target/sluice-proxy-image.tar operator/target/sluice-operator-image.tar
