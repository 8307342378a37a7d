# shellcheck shell=bash
# k8s-tools: what deploy-tests needs to check deploy/ offline — kubectl, whose built-in kustomize renders the
# Kubernetes overlays, and the AsyncAPI 3.0.0 JSON Schema (npm package @asyncapi/specs) that
# deploy/events/asyncapi.yaml is validated against. Idempotent; called from infra_up.

K8S_TOOLS_DIR="$REWIND_HOME/tools"
K8S_ASYNCAPI_SPECS_VERSION=6.11.1
K8S_ASYNCAPI_SPECS_DIR="$K8S_TOOLS_DIR/asyncapi-specs-$K8S_ASYNCAPI_SPECS_VERSION"

# kubectl 1.21+ embeds kustomize v4+ (directories in resources, labels, replicas); Debian bookworm's own
# kubernetes-client is 1.20 (kustomize v2.0.3), which cannot render the overlays.
k8s_kubectl_ok() {
  local minor
  command -v kubectl >/dev/null 2>&1 || return 1
  minor="$(kubectl version --client -o json 2>/dev/null | sed -n 's/.*"minor": *"\([0-9]*\).*/\1/p' | head -n 1)"
  [ -n "$minor" ] && [ "$minor" -ge 21 ]
}

k8s_kubectl_candidate() {
  apt-cache policy kubectl 2>/dev/null | grep -q 'Candidate: [0-9]'
}

k8s_tools_install() {
  if ! k8s_kubectl_ok && ! command -v kustomize >/dev/null 2>&1; then
    if ! k8s_kubectl_candidate && [ -z "$APT_UPDATED" ]; then
      apt-get update -qq >/dev/null || true
      APT_UPDATED=1
    fi
    k8s_kubectl_candidate || die k8s-tools "no kubectl 1.21+ (nor kustomize) and apt offers no 'kubectl' package: install one of them (Debian's kubernetes-client 1.20 is too old for the overlays)"
    apt_install kubectl
    k8s_kubectl_ok || die k8s-tools "the installed kubectl is older than 1.21 (its kustomize cannot render deploy/k8s)"
  fi
  if [ ! -f "$K8S_ASYNCAPI_SPECS_DIR/schemas/3.0.0-without-\$id.json" ]; then
    local tmp
    command -v npm >/dev/null 2>&1 || apt_install npm
    say k8s-tools "fetching @asyncapi/specs $K8S_ASYNCAPI_SPECS_VERSION from npm"
    tmp="$(mktemp -d)"
    (cd "$tmp" && npm pack --silent "@asyncapi/specs@$K8S_ASYNCAPI_SPECS_VERSION" >/dev/null 2>&1) \
      || { rm -rf "$tmp"; die k8s-tools "could not fetch @asyncapi/specs@$K8S_ASYNCAPI_SPECS_VERSION"; }
    tar -xzf "$tmp"/asyncapi-specs-*.tgz -C "$tmp"
    mkdir -p "$K8S_TOOLS_DIR"
    rm -rf "$K8S_ASYNCAPI_SPECS_DIR"
    mv "$tmp/package" "$K8S_ASYNCAPI_SPECS_DIR"
    rm -rf "$tmp"
  fi
}
