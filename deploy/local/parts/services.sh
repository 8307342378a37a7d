# shellcheck shell=bash
# services: the five Quarkus services, run from a copy of their fast-jar (<module>/target/quarkus-app, copied
# to $REWIND_HOME/apps/<service> at each start) on the default JDK, with stack.env in their environment and QUARKUS_HTTP_PORT = their port.

SERVICES="server-registry backup-service pitr-service agent-gateway run-registry"
SERVICE_READY_TIMEOUT="${REWIND_SERVICE_READY_TIMEOUT:-120}"

service_port() {
  case "$1" in
    server-registry) echo 8081 ;;
    backup-service) echo 8082 ;;
    pitr-service) echo 8083 ;;
    agent-gateway) echo 8084 ;;
    run-registry) echo 8085 ;;
    *) die services "unknown service '$1'" ;;
  esac
}

# The module may sit at the repo root or under services/.
service_jar() {
  local c
  for c in "$REWIND_REPO/$1" "$REWIND_REPO/services/$1"; do
    if [ -f "$c/target/quarkus-app/quarkus-run.jar" ]; then
      echo "$c/target/quarkus-app/quarkus-run.jar"
      return 0
    fi
  done
  return 1
}

service_ready() { http_ok "http://127.0.0.1:$(service_port "$1")/q/health/ready"; }

services_build() {
  say services "building (mvn -B -q -DskipTests package at $REWIND_REPO)"
  local t0=$SECONDS
  (cd "$REWIND_REPO" && mvn -B -q -Dstyle.color=never -DskipTests package) || die services "the Maven build failed"
  say services "built in $((SECONDS - t0))s"
}

services_start() {
  local svc pid port jar missing=() started=()
  for svc in "$@"; do
    service_jar "$svc" >/dev/null || missing+=("$svc")
  done
  if [ "${#missing[@]}" -gt 0 ]; then
    die services "no quarkus-run.jar for: ${missing[*]} — run mvn package first (mvn -B -DskipTests package, or ./rewind up)"
  fi
  for svc in "$@"; do
    port="$(service_port "$svc")"
    pid="$(pid_of "$svc")"
    if [ -n "$pid" ]; then
      say "$svc" "already running (pid $pid) on 127.0.0.1:$port"
      continue
    fi
    ensure_port_free "$svc" "$port"
    # run a copy: a rebuild (mvn package) replaces target/quarkus-app under a running service, whose class
    # loader then fails on jars that are gone
    rm -rf "$REWIND_HOME/apps/$svc"
    mkdir -p "$REWIND_HOME/apps"
    cp -r "$(dirname "$(service_jar "$svc")")" "$REWIND_HOME/apps/$svc"
    jar="$REWIND_HOME/apps/$svc/quarkus-run.jar"
    # REWIND_BACKUP_RATE_LIMIT_MAX_REQUESTS: the local stack allows 200 on-demand backups per user per hour
    # (production default 10): a test run's module tests and journey all back up as acme-admin within an hour
    # supervised: a service that dies (a crash, kill -9, OutOfMemoryError) is started again, as Kubernetes would
    spawn "$svc" "$LOGS_DIR/$svc.log" "$REWIND_REPO/deploy/local/supervise.sh" env QUARKUS_HTTP_PORT="$port" \
      REWIND_BACKUP_RATE_LIMIT_MAX_REQUESTS="${REWIND_BACKUP_RATE_LIMIT_MAX_REQUESTS:-200}" \
      java -Xmx384m -XX:+ExitOnOutOfMemoryError ${REWIND_SERVICE_JAVA_OPTS:-} -jar "$jar"
    started+=("$svc")
  done
  for svc in "$@"; do
    port="$(service_port "$svc")"
    wait_for "$svc" "$SERVICE_READY_TIMEOUT" "http://127.0.0.1:$port/q/health/ready" service_ready "$svc" \
      || die "$svc" "not ready (log: $LOGS_DIR/$svc.log)"
    if [[ " ${started[*]:-} " == *" $svc "* ]]; then
      say "$svc" "started (pid $(pid_of "$svc")) on 127.0.0.1:$port"
    fi
  done
}

services_stop() {
  local svc
  for svc in "$@"; do stop_part "$svc" 30; done
}

services_status() {
  local svc pid port
  for svc in $SERVICES; do
    port="$(service_port "$svc")"
    pid="$(pid_of "$svc")"
    if [ -n "$pid" ] && service_ready "$svc"; then status_line "$svc" running "$pid" "127.0.0.1:$port"
    elif [ -n "$pid" ]; then status_line "$svc" "not-ready" "$pid" "127.0.0.1:$port"
    else status_line "$svc" stopped "" "127.0.0.1:$port"; fi
  done
}
