# shellcheck shell=bash
# keycloak: Keycloak 26.7.3 (start-dev, H2 in its data dir) on 127.0.0.1:8180, management 9180,
# realm `rewind` imported from deploy/local/keycloak/rewind-realm.json (rendered with stack.env).
# Runs on the Temurin 25 JDK (Keycloak needs Java 21+).

KC_VERSION=26.7.3
KC_STATE="$REWIND_HOME/keycloak"
KC_HOME="$KC_STATE/keycloak-$KC_VERSION"
KC_PORT="${REWIND_KEYCLOAK_URL##*:}"
KC_MGMT_PORT="$REWIND_KEYCLOAK_MANAGEMENT_PORT"

keycloak_unpack() {
  if [ ! -x "$KC_HOME/bin/kc.sh" ]; then
    say keycloak "fetching Keycloak $KC_VERSION from Maven Central"
    mvn_copy "org.keycloak:keycloak-quarkus-dist:$KC_VERSION:zip" "$DOWNLOADS_DIR" || die keycloak "could not fetch Keycloak"
    rm -rf "$KC_HOME.tmp"
    mkdir -p "$KC_HOME.tmp"
    unzip -q "$DOWNLOADS_DIR/keycloak-quarkus-dist-$KC_VERSION.zip" -d "$KC_HOME.tmp"
    mv "$KC_HOME.tmp/keycloak-$KC_VERSION" "$KC_HOME"
    rm -rf "$KC_HOME.tmp" "$DOWNLOADS_DIR/keycloak-quarkus-dist-$KC_VERSION.zip"
  fi
}

# Renders the realm into data/import; when it differs from the last import, the H2 database is
# wiped (--import-realm skips a realm that already exists). Returns 0 when the realm changed.
keycloak_render_realm() {
  local rendered="$KC_STATE/rewind-realm.rendered.json" sum old=""
  mkdir -p "$KC_HOME/data/import"
  render "$LOCAL_DIR/keycloak/rewind-realm.json" "$rendered"
  sum="$(sha256sum "$rendered" | cut -d' ' -f1)"
  [ -f "$KC_STATE/realm.sha256" ] && old="$(cat "$KC_STATE/realm.sha256")"
  if [ "$sum" != "$old" ] || [ ! -f "$KC_HOME/data/import/rewind-realm.json" ]; then
    REALM_CHANGED=1
  else
    REALM_CHANGED=""
  fi
}

keycloak_apply_realm() {
  local rendered="$KC_STATE/rewind-realm.rendered.json"
  if [ -n "$REALM_CHANGED" ]; then
    [ -d "$KC_HOME/data/h2" ] && say keycloak "realm JSON changed since the last import: wiping data/h2"
    rm -rf "$KC_HOME/data/h2"
    cp "$rendered" "$KC_HOME/data/import/rewind-realm.json"
    sha256sum "$rendered" | cut -d' ' -f1 >"$KC_STATE/realm.sha256"
  fi
}

keycloak_launch() {
  local pid
  mkdir -p "$KC_STATE"
  keycloak_unpack
  keycloak_render_realm
  pid="$(pid_of keycloak)"
  if [ -n "$pid" ]; then
    if [ -z "$REALM_CHANGED" ]; then
      say keycloak "already running (pid $pid) on $REWIND_KEYCLOAK_URL"
      return 0
    fi
    say keycloak "realm JSON changed: restarting Keycloak to re-import it"
    keycloak_stop
  fi
  ensure_port_free keycloak "$KC_PORT" "$KC_MGMT_PORT"
  [ -x "$REWIND_KEYCLOAK_JAVA_HOME/bin/java" ] || die keycloak "no Java 21+ at $REWIND_KEYCLOAK_JAVA_HOME (set REWIND_KEYCLOAK_JAVA_HOME)"
  keycloak_apply_realm
  spawn keycloak "$LOGS_DIR/keycloak.log" env \
    JAVA_HOME="$REWIND_KEYCLOAK_JAVA_HOME" \
    PATH="$REWIND_KEYCLOAK_JAVA_HOME/bin:$PATH" \
    KC_BOOTSTRAP_ADMIN_USERNAME="$REWIND_KEYCLOAK_ADMIN_USER" \
    KC_BOOTSTRAP_ADMIN_PASSWORD="$REWIND_KEYCLOAK_ADMIN_PASSWORD" \
    JAVA_OPTS_KC_HEAP="-Xms64m -Xmx512m" \
    "$KC_HOME/bin/kc.sh" start-dev --http-host=127.0.0.1 --http-port="$KC_PORT" \
    --http-management-port="$KC_MGMT_PORT" --health-enabled=true --import-realm
  KC_JUST_STARTED=1
  if [ -f "$KC_STATE/.built" ]; then
    say keycloak "starting (pid $(pid_of keycloak))"
  else
    say keycloak "starting (pid $(pid_of keycloak)); the first start builds Keycloak and takes about a minute"
  fi
}

keycloak_ready() {
  wait_for keycloak 240 "realm rewind on $REWIND_KEYCLOAK_URL" http_ok "$REWIND_OIDC_URL/.well-known/openid-configuration" \
    || die keycloak "Keycloak did not become ready"
  touch "$KC_STATE/.built"
  if [ -n "${KC_JUST_STARTED:-}" ]; then
    say keycloak "started (pid $(pid_of keycloak)) on $REWIND_KEYCLOAK_URL, realm rewind ready"
  else
    say keycloak "realm rewind ready at $REWIND_OIDC_URL"
  fi
}

keycloak_stop() { stop_part keycloak 30; }

keycloak_status() {
  local pid
  pid="$(pid_of keycloak)"
  if [ -n "$pid" ] && http_ok "$REWIND_OIDC_URL/.well-known/openid-configuration"; then
    status_line keycloak running "$pid" "$REWIND_KEYCLOAK_URL (management :$KC_MGMT_PORT)"
  elif [ -n "$pid" ]; then status_line keycloak starting "$pid" "$REWIND_KEYCLOAK_URL"
  else status_line keycloak stopped "" "$REWIND_KEYCLOAK_URL"; fi
}

# Prints an access token of USER (password = user name) from the password grant of rewind-cli.
keycloak_token() {
  local user="$1" resp token
  resp="$(curl -s --max-time 20 -d grant_type=password -d "client_id=$REWIND_OIDC_CLI_CLIENT" \
    --data-urlencode "username=$user" --data-urlencode "password=$user" "$REWIND_OIDC_TOKEN_URL")" \
    || die token "Keycloak does not answer at $REWIND_OIDC_TOKEN_URL (./rewind start keycloak)"
  token="$(jq -r '.access_token // empty' <<<"$resp" 2>/dev/null || true)"
  [ -n "$token" ] || die token "no token for '$user': $resp"
  echo "$token"
}

# Prints an access token of a service's own client (client_credentials), e.g. backup-service.
keycloak_service_token() {
  local client="$1" var resp token
  var="REWIND_CLIENT_SECRET_$(tr 'a-z-' 'A-Z_' <<<"$client")"
  resp="$(curl -s --max-time 20 -d grant_type=client_credentials -d "client_id=$client" \
    --data-urlencode "client_secret=${!var}" "$REWIND_OIDC_TOKEN_URL")" \
    || die token "Keycloak does not answer at $REWIND_OIDC_TOKEN_URL (./rewind start keycloak)"
  token="$(jq -r '.access_token // empty' <<<"$resp" 2>/dev/null || true)"
  [ -n "$token" ] || die token "no token for the client '$client': $resp"
  echo "$token"
}
