#!/usr/bin/env bash
# Renders manifests/ (the `kubectl apply -f manifests/` install) from charts/sluice with the default values,
# namespace sluice-system, plus a Namespace object and the chart's CRDs. Helm is not needed as a CLI: the
# charts-test module renders with the Helm SDK (helm-java) and ManifestsUpToDateTest writes in update mode.
# Run after changing the chart or the CRDs (scripts/sync-crds.sh first), then commit manifests/.
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -pl charts-test test -Dtest=ManifestsUpToDateTest -Dsurefire.failIfNoSpecifiedTests=false \
  -Dsluice.updateManifests=true
echo "manifests/ rendered:"
ls -1 manifests/
