#!/usr/bin/env bash
# Checks the image tarballs that images/build-offline.sh wrote: unpacks each OCI image's layers into a root
# filesystem, checks its config (non-root user, entrypoint), then runs it the way a container runtime would
# (chroot as user 65532 with /proc mounted, needs root) and sends real HTTP to it:
#   - the proxy image answers /live on its health port and 503 "no configuration yet" on its web port;
#   - the operator image runs standalone mode on examples/quickstart and serves the quickstart routes;
#   - the operator image's `echo` command (the kind smoke test's backends) answers with its name.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/sluice-image-smoke.XXXXXX)"
pids=()
cleanup() {
  # unshare blocks SIGTERM while it waits for its child: signal the image's process itself
  for p in "${pids[@]:-}"; do [ -n "$p" ] && pkill -TERM -P "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT
fail() { echo "image smoke test FAILED: $*" >&2; exit 1; }

blob() { echo "$1/blobs/sha256/${2#sha256:}"; }

# unpack <image.tar> <dir>: sets CONFIG to the image config JSON
unpack() {
  local tarball="$1" dir="$2"
  mkdir -p "$dir/oci" "$dir/rootfs"
  tar --warning=no-unknown-keyword -xf "$tarball" -C "$dir/oci"
  local manifest
  manifest="$(blob "$dir/oci" "$(grep -o '"digest":"sha256:[0-9a-f]*"' "$dir/oci/index.json" | head -1 | cut -d'"' -f4)")"
  CONFIG="$(cat "$(blob "$dir/oci" "$(grep -o '"config":{[^}]*}' "$manifest" | grep -o 'sha256:[0-9a-f]*')")")"
  for layer in $(grep -o '"layers":\[.*\]' "$manifest" | grep -o 'sha256:[0-9a-f]*'); do
    tar --warning=no-unknown-keyword -xzf "$(blob "$dir/oci" "$layer")" -C "$dir/rootfs"
  done
}

# entrypoint words of CONFIG, one per line
entrypoint() {
  echo "$CONFIG" | grep -o '"Entrypoint":\[[^]]*\]' | sed 's/^"Entrypoint":\[//; s/\]$//' | sed 's/","/\n/g; s/^"//; s/"$//'
}

check_config() {
  local name="$1"
  echo "$CONFIG" | grep -q '"User":"65532:65532"' || fail "$name does not run as user 65532"
  [ "$(entrypoint | head -1)" = "java" ] || fail "$name entrypoint does not start with java"
  echo "$name: user 65532, entrypoint: $(entrypoint | tr '\n' ' ')"
}

wait_http() { # url expected-status seconds
  local url="$1" want="$2" secs="$3" got=""
  for _ in $(seq 1 $((secs * 5))); do
    got="$(curl -s -o /dev/null -w '%{http_code}' --max-time 1 "$url" || true)"
    [ "$got" = "$want" ] && return 0
    sleep 0.2
  done
  echo "$url answered $got, expected $want" >&2
  return 1
}

# run <rootfs> <log> <args...>: the image's entrypoint plus args, as the container runtime would
run_image() {
  local rootfs="$1" log="$2"
  shift 2
  mapfile -t cmd < <(entrypoint)
  # the image's PATH is used to find `java` inside the root; /proc as a runtime mounts it
  unshare --kill-child=SIGTERM -m sh -c \
    'mount -t proc proc "$0/proc" && c="$1" && shift && PATH=/opt/java/openjdk/bin:/usr/bin:/bin exec "$c" --userspec=65532:65532 "$0" "$@"' \
    "$rootfs" "$(command -v chroot)" "${cmd[@]}" "$@" >"$log" 2>&1 &
  pids+=($!)
}

unpack "$ROOT/proxy/target/sluice-proxy-image.tar" "$WORK/proxy"
check_config sluice-proxy
PROXY_CONFIG="$CONFIG"
unpack "$ROOT/operator/target/sluice-operator-image.tar" "$WORK/operator"
check_config sluice-operator
OPERATOR_CONFIG="$CONFIG"

if [ "$(id -u)" != 0 ]; then
  echo "image structure checked; running the images needs root (chroot), skipped"
  exit 0
fi

CONFIG="$PROXY_CONFIG"
run_image "$WORK/proxy/rootfs" "$WORK/proxy.log" --web-port 18480 --websecure-port 18443 --health-port 18400 \
  --push-port 18444
wait_http http://127.0.0.1:18400/live 200 60 || { cat "$WORK/proxy.log"; fail "proxy image did not come up"; }
wait_http http://127.0.0.1:18480/ 503 10 || fail "proxy web port"
echo "sluice-proxy image: /live 200, web 503 before the first snapshot"

CONFIG="$OPERATOR_CONFIG"
cp -r "$ROOT/examples/quickstart" "$WORK/operator/rootfs/tmp/quickstart"
chmod -R a+rX "$WORK/operator/rootfs/tmp/quickstart"
run_image "$WORK/operator/rootfs" "$WORK/operator.log" standalone /tmp/quickstart --echo-backends \
  --web-port 18580 --websecure-port 18543 --health-port 18500 --push-port 18544
wait_http http://127.0.0.1:18500/ready 200 60 || { cat "$WORK/operator.log"; fail "operator image did not come up"; }
wait_http http://127.0.0.1:18580/ 200 10 || fail "quickstart / through the operator image"
body="$(curl -s --max-time 2 http://127.0.0.1:18580/api/hello)"
echo "$body" | grep -qi "tag\|api" || fail "quickstart /api/hello through the operator image: $body"
echo "sluice-operator image: standalone quickstart serves / and /api"

# the operator image's `echo` command: the backend Deployments of e2e/kind/backends.yaml
run_image "$WORK/operator/rootfs" "$WORK/echo.log" echo --name whoami --port 18680
wait_http http://127.0.0.1:18680/ready 200 60 || { cat "$WORK/echo.log"; fail "operator image echo did not come up"; }
curl -s -i --max-time 2 http://127.0.0.1:18680/hello | grep -qi '^x-backend: whoami' \
  || fail "operator image echo --name whoami did not answer X-Backend: whoami"
echo "sluice-operator image: echo --name whoami answers as whoami"
echo "image smoke test passed"
