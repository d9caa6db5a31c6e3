#!/usr/bin/env bash
# Copies the generated CRDs (crds/, the source of truth) into the chart (charts/sluice/crds/), so that the two
# folders hold the same files byte for byte (checked by CrdCopiesTest). Chart copies with no source are removed.
set -euo pipefail
cd "$(dirname "$0")/.."
source_dir=crds
chart_dir=charts/sluice/crds
mkdir -p "$chart_dir"
for copy in "$chart_dir"/*; do
  [ -f "$copy" ] || continue
  name=$(basename "$copy")
  if [ ! -f "$source_dir/$name" ]; then
    rm -- "$copy"
    echo "removed $chart_dir/$name"
  fi
done
if [ -d "$source_dir" ]; then
  for crd in "$source_dir"/*; do
    [ -f "$crd" ] || continue
    cp -- "$crd" "$chart_dir/"
    echo "copied $crd -> $chart_dir/"
  done
fi
echo "next: scripts/render-manifests.sh (manifests/ include the CRDs)"
