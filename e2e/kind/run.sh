#!/usr/bin/env bash
# Runs Sluice's end-to-end checks on a real Kubernetes cluster made with kind (e2e/run-against-cluster.md):
#
#   1. creates a kind cluster (e2e/kind/cluster.yaml);
#   2. builds both images as OCI tarballs (images/build-offline.sh) and loads them into the node;
#   3. runs the e2e suite (the *E2E classes) against the kind API server: the suite's operator, proxy and backend
#      processes run on this machine, published in EndpointSlices at a non-loopback address of this machine;
#   4. cleans the suite's objects up, installs the Helm chart with e2e/kind/values.yaml, and smoke-tests the
#      installation from inside: the quickstart's Ingress and IngressRoute in front of echo Deployments, requests
#      through the NodePort and through kubectl port-forward to every proxy pod, IngressRoute Programmed=True;
#   5. deletes the cluster, unless KEEP=1.
#
# Needs: docker (a running daemon), kind, kubectl, helm (the CLI: the suite's helm-java is not used here), curl,
# and what the build needs (JDK 17; images/build-jre-rootfs.sh needs a Linux x86_64 or aarch64 machine).
#
# Environment (all optional):
#   CLUSTER_NAME=sluice-e2e    kind cluster name; an existing cluster of that name is refused unless REUSE=1
#   REUSE=1                    use an existing cluster of that name (e.g. one kept with KEEP=1)
#   KEEP=1                     keep the cluster at the end (delete it with: kind delete cluster --name ...)
#   NODE_IMAGE=...             kindest/node image (kind create cluster --image); default: kind's own
#   SKIP_IMAGES=1              do not build the images (use the tarballs already in */target/)
#   SKIP_SUITE=1               skip step 3
#   SKIP_SMOKE=1               skip step 4
#   E2E_TESTS='*E2E'           surefire -Dtest pattern for step 3
#   HOST_ADDRESS=a.b.c.d       address the suite's local processes bind and publish (default: the kind network's
#                              gateway, an address of this machine on Linux)
#   SECOND_HOST_ADDRESS=...    a second address of this machine, for the scale-up case (default: another
#                              non-loopback IPv4 address of this machine, e.g. docker0's)
#   SMOKE_PORT=30080           host port cluster.yaml maps to the proxy NodePort (change both together)
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
KIND_DIR="$ROOT/e2e/kind"
CLUSTER_NAME="${CLUSTER_NAME:-sluice-e2e}"
WORK="$ROOT/e2e/target/kind"
KUBECONFIG_FILE="$WORK/kubeconfig"
IMAGE_REGISTRY=sluice.test
IMAGE_TAG=e2e
SYSTEM_NAMESPACE=sluice-system
SMOKE_PORT="${SMOKE_PORT:-30080}"
PORT_FORWARDS=()

log() { printf '\n== %s: %s\n' "$(date -u +%H:%M:%S)" "$*"; }
die() { printf 'e2e/kind/run.sh: %s\n' "$*" >&2; exit 1; }

need() {
  command -v "$1" >/dev/null 2>&1 || die "$1 is required ($2)"
}

check_tools() {
  need docker "https://docs.docker.com/engine/install/"
  need kind "https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
  need kubectl "https://kubernetes.io/docs/tasks/tools/"
  need helm "https://helm.sh/docs/intro/install/"
  need curl "your package manager"
  need ip "iproute2, to find this machine's addresses"
  docker info >/dev/null 2>&1 || die "the Docker daemon is not reachable (docker info failed)"
}

kube() { kubectl --kubeconfig "$KUBECONFIG_FILE" "$@"; }

cleanup() {
  local status=$?
  for pid in ${PORT_FORWARDS[@]+"${PORT_FORWARDS[@]}"}; do
    kill "$pid" 2>/dev/null || true
  done
  if [[ "${KEEP:-0}" == 1 ]]; then
    log "keeping cluster $CLUSTER_NAME (kubeconfig: $KUBECONFIG_FILE)"
  elif [[ -n "${CREATED_CLUSTER:-}" ]]; then
    log "deleting cluster $CLUSTER_NAME"
    kind delete cluster --name "$CLUSTER_NAME" || true
  fi
  exit "$status"
}

create_cluster() {
  mkdir -p "$WORK"
  if kind get clusters 2>/dev/null | grep -qx "$CLUSTER_NAME"; then
    [[ "${REUSE:-0}" == 1 ]] || die "a kind cluster named $CLUSTER_NAME exists: delete it, or set REUSE=1 or CLUSTER_NAME"
    log "reusing cluster $CLUSTER_NAME"
    kind get kubeconfig --name "$CLUSTER_NAME" >"$KUBECONFIG_FILE"
    return
  fi
  log "creating cluster $CLUSTER_NAME"
  local image_args=()
  if [[ -n "${NODE_IMAGE:-}" ]]; then
    image_args=(--image "$NODE_IMAGE")
  fi
  CREATED_CLUSTER=1
  kind create cluster --name "$CLUSTER_NAME" --config "$KIND_DIR/cluster.yaml" --kubeconfig "$KUBECONFIG_FILE" \
    --wait 180s ${image_args[@]+"${image_args[@]}"}
}

load_images() {
  if [[ "${SKIP_IMAGES:-0}" != 1 ]]; then
    log "building the images ($IMAGE_REGISTRY/sluice-{proxy,operator}:$IMAGE_TAG)"
    "$ROOT/images/build-offline.sh" "-Dsluice.image.registry=$IMAGE_REGISTRY" "-Dsluice.image.tag=$IMAGE_TAG"
  fi
  local image
  for image in proxy operator; do
    local tar="$ROOT/$image/target/sluice-$image-image.tar"
    [[ -f "$tar" ]] || die "$tar is missing (run without SKIP_IMAGES=1)"
    log "loading $tar"
    kind load image-archive "$tar" --name "$CLUSTER_NAME"
    # the tarball names its image (OCI ref.name); make sure the node now has it under the name the chart uses
    docker exec "$CLUSTER_NAME-control-plane" crictl images \
      | grep -q "$IMAGE_REGISTRY/sluice-$image .*$IMAGE_TAG" \
      || die "the node has no image $IMAGE_REGISTRY/sluice-$image:$IMAGE_TAG after loading $tar (was it built with SKIP_IMAGES=1 and another tag?)"
  done
}

# An IPv4 address of this machine (not loopback)?
is_local_address() {
  ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1 | grep -qxF "$1"
}

pick_host_addresses() {
  if [[ -z "${HOST_ADDRESS:-}" ]]; then
    HOST_ADDRESS="$(docker network inspect kind -f '{{range .IPAM.Config}}{{.Gateway}} {{end}}' \
      | tr ' ' '\n' | grep -E '^[0-9]+\.[0-9]+\.[0-9]+\.[0-9]+$' | head -n1 || true)"
  fi
  [[ -n "$HOST_ADDRESS" ]] || die "could not find the kind network's IPv4 gateway: set HOST_ADDRESS"
  is_local_address "$HOST_ADDRESS" \
    || die "HOST_ADDRESS $HOST_ADDRESS is not an address of this machine (Docker Desktop?): set HOST_ADDRESS to one"
  if [[ -z "${SECOND_HOST_ADDRESS:-}" ]]; then
    SECOND_HOST_ADDRESS="$(ip -4 -o addr show | awk '{print $4}' | cut -d/ -f1 \
      | grep -vE '^127\.' | grep -vxF "$HOST_ADDRESS" | head -n1 || true)"
  fi
  [[ -n "$SECOND_HOST_ADDRESS" ]] \
    || die "this machine has no second non-loopback IPv4 address: set SECOND_HOST_ADDRESS"
}

run_suite() {
  pick_host_addresses
  log "running the e2e suite ($E2E_TESTS) against the kind API server; local processes on $HOST_ADDRESS"
  (cd "$ROOT" && ./mvnw -B -ntp -pl e2e -am package "-Dtest=$E2E_TESTS" -Dsurefire.failIfNoSpecifiedTests=false \
    "-Dsluice.e2e.kubeconfig=$KUBECONFIG_FILE" "-Dsluice.e2e.hostAddress=$HOST_ADDRESS" \
    "-Dsluice.e2e.secondHostAddress=$SECOND_HOST_ADDRESS")
  # the suite deletes the namespaces and IngressClasses it labelled; the chart needs them gone
  if kube get namespace "$SYSTEM_NAMESPACE" >/dev/null 2>&1; then
    die "namespace $SYSTEM_NAMESPACE still exists after the suite: it did not clean up (see e2e/target/e2e-logs)"
  fi
}

install_chart() {
  log "helm install with e2e/kind/values.yaml"
  helm --kubeconfig "$KUBECONFIG_FILE" upgrade --install sluice "$ROOT/charts/sluice" \
    --namespace "$SYSTEM_NAMESPACE" --create-namespace -f "$KIND_DIR/values.yaml" --wait --timeout 5m
  kube -n "$SYSTEM_NAMESPACE" rollout status deployment/sluice-operator --timeout 120s
  kube -n "$SYSTEM_NAMESPACE" rollout status deployment/sluice-proxy --timeout 120s
}

# expect_backend URL BACKEND [TEXT...]: retries until the answer is 200 from BACKEND and its body has every TEXT.
expect_backend() {
  local url=$1 backend=$2
  shift 2
  local answer=""
  for _ in $(seq 1 60); do
    if answer="$(curl -sS -i --max-time 3 "$url" 2>&1)" \
      && grep -q '^HTTP/1.1 200' <<<"$answer" \
      && grep -qi "^x-backend: $backend" <<<"$answer"; then
      local text missing=""
      for text in "$@"; do
        grep -qF "$text" <<<"$answer" || missing="$text"
      done
      if [[ -z "$missing" ]]; then
        echo "ok: $url -> $backend"
        return 0
      fi
    fi
    sleep 1
  done
  printf '%s\n' "$answer" >&2
  die "$url: expected 200 from backend $backend with $*"
}

smoke() {
  log "smoke: quickstart Ingress and IngressRoute in front of echo Deployments"
  kube apply -f "$KIND_DIR/backends.yaml"
  kube apply -f "$ROOT/examples/quickstart/20-ingress.yaml" -f "$ROOT/examples/quickstart/30-ingressroute.yaml"
  kube -n demo rollout status deployment/whoami --timeout 180s
  kube -n demo rollout status deployment/api --timeout 180s
  kube -n demo wait ingressroute/api --for=condition=Programmed=True --timeout 120s
  kube -n demo wait ingressroute/api --for=condition=ResolvedRefs=True --timeout 30s

  # through the Service: host port -> kind node port -> kube-proxy -> a proxy pod -> a backend pod
  expect_backend "http://127.0.0.1:$SMOKE_PORT/hello" whoami "GET /hello HTTP/1.1"
  expect_backend "http://127.0.0.1:$SMOKE_PORT/api/orders?id=7" api "GET /orders?id=7 HTTP/1.1" \
    "X-served-by: sluice"

  # every proxy pod serves it (a port-forward per pod: the Service would hide a pod that does not)
  local pods pod port=18080
  pods="$(kube -n "$SYSTEM_NAMESPACE" get pods -l app.kubernetes.io/component=proxy -o name)"
  [[ -n "$pods" ]] || die "no proxy pods found"
  for pod in $pods; do
    port=$((port + 1))
    kube -n "$SYSTEM_NAMESPACE" port-forward "$pod" "$port:web" >"$WORK/port-forward-$port.log" 2>&1 &
    PORT_FORWARDS+=("$!")
    expect_backend "http://127.0.0.1:$port/api/x" api "GET /x HTTP/1.1" "X-served-by: sluice"
    expect_backend "http://127.0.0.1:$port/" whoami
  done
  kube -n demo get ingressroute api -o jsonpath='{range .status.conditions[*]}{.type}={.status} ({.reason}) {end}'
  echo
  log "smoke passed: $(wc -w <<<"$pods") proxy pods serve the quickstart"
}

main() {
  check_tools
  trap cleanup EXIT
  E2E_TESTS="${E2E_TESTS:-*E2E}"
  create_cluster
  load_images
  if [[ "${SKIP_SUITE:-0}" != 1 ]]; then
    run_suite
  fi
  if [[ "${SKIP_SMOKE:-0}" != 1 ]]; then
    install_chart
    smoke
  fi
  log "done"
}

main "$@"
