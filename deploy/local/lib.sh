# shellcheck shell=bash
# Common helpers of the local stack scripts. Sourced by ./rewind after stack.env.

: "${REWIND_HOME:?source deploy/local/stack.env first}"
LOCAL_DIR="$REWIND_REPO/deploy/local"
PIDS_DIR="$REWIND_HOME/pids"
LOGS_DIR="$REWIND_HOME/logs"
DOWNLOADS_DIR="$REWIND_HOME/downloads"
mkdir -p "$PIDS_DIR" "$LOGS_DIR" "$DOWNLOADS_DIR"

MAVEN_DEPENDENCY_PLUGIN="org.apache.maven.plugins:maven-dependency-plugin:3.8.1"

say()  { echo "$1: ${*:2}"; }
warn() { echo "$1: ${*:2}" >&2; }
die()  { echo "$1: ERROR: ${*:2}" >&2; exit 1; }

pidfile() { echo "$PIDS_DIR/$1.pid"; }

# Prints the pid recorded for a part if that process is alive; removes a stale pid file.
pid_of() {
  local f pid
  f="$(pidfile "$1")"
  [ -f "$f" ] || return 0
  pid="$(cat "$f" 2>/dev/null || true)"
  if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
    echo "$pid"
  else
    rm -f "$f"
  fi
}

# Pids listening on a TCP port (127.0.0.1 or any address).
port_listeners() {
  ss -ltnpH "sport = :$1" 2>/dev/null | grep -o 'pid=[0-9]*' | cut -d= -f2 | sort -u || true
}
port_listening() { [ -n "$(ss -ltnH "sport = :$1" 2>/dev/null)" ]; }

# True when every listener of the port belongs to the process group started for the part
# (parts are started with setsid, so the recorded pid is the process group id).
port_is_ours() {
  local part="$1" port="$2" pid lp pgid
  pid="$(pid_of "$part")"
  [ -n "$pid" ] || return 1
  lp="$(port_listeners "$port")"
  [ -n "$lp" ] || return 1
  for l in $lp; do
    pgid="$(ps -o pgid= -p "$l" 2>/dev/null | tr -d ' ' || true)"
    [ "$pgid" = "$pid" ] || [ "$l" = "$pid" ] || return 1
  done
}

# Fails when a port the part needs is held by a process that is not ours.
ensure_port_free() {
  local part="$1" port lp
  shift
  for port in "$@"; do
    if port_listening "$port" && ! port_is_ours "$part" "$port"; then
      lp="$(port_listeners "$port" | head -1)"
      if [ -n "$lp" ]; then lp="pid $lp, $(ps -o comm= -p "$lp" 2>/dev/null || echo '?')"; else lp="owner unknown"; fi
      die "$part" "port $port is already in use by another process ($lp), not by rewind;" \
        "$part cannot start. Free port $port and retry."
    fi
  done
}

# spawn PART LOGFILE CMD... — starts CMD in its own session (pid = process group id).
spawn() {
  local part="$1" log="$2"
  shift 2
  echo "==== $(date -Is) starting $part: $*" >>"$log"
  setsid "$@" >>"$log" 2>&1 </dev/null 9>&- &
  echo $! >"$(pidfile "$part")"
}

# stop_part PART [TIMEOUT_SECONDS] — TERM the part's process group, KILL after the timeout.
stop_part() {
  local part="$1" timeout="${2:-30}" pid i
  pid="$(pid_of "$part")"
  if [ -z "$pid" ]; then
    say "$part" "not running"
    return 0
  fi
  kill -TERM -- "-$pid" 2>/dev/null || kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < timeout * 5; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  if kill -0 "$pid" 2>/dev/null; then
    warn "$part" "did not stop within ${timeout}s, killing"
    kill -KILL -- "-$pid" 2>/dev/null || kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  # remaining members of the group (children that outlived the leader)
  kill -KILL -- "-$pid" 2>/dev/null || true
  rm -f "$(pidfile "$part")"
  say "$part" "stopped (pid $pid)"
}

# wait_for PART TIMEOUT DESCRIPTION CMD... — polls CMD every second; fails if the part's process dies.
wait_for() {
  local part="$1" timeout="$2" what="$3" i pid
  shift 3
  for ((i = 0; i < timeout; i++)); do
    if "$@" >/dev/null 2>&1; then return 0; fi
    pid="$(pid_of "$part")"
    if [ -z "$pid" ] && [ -f "$LOGS_DIR/$part.log" ] && [ "$i" -gt 0 ]; then
      warn "$part" "process exited while waiting for $what; last log lines:"
      tail -n 40 "$LOGS_DIR/$part.log" >&2 || true
      return 1
    fi
    sleep 1
  done
  warn "$part" "timed out after ${timeout}s waiting for $what; last log lines ($LOGS_DIR/$part.log):"
  tail -n 40 "$LOGS_DIR/$part.log" >&2 || true
  return 1
}

http_ok() { [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 "$1")" = "200" ]; }

tcp_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }

APT_UPDATED=""
# apt_install PKG... — installs the missing Debian packages (apt-get update once per run).
apt_install() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ "${#missing[@]}" -gt 0 ] || return 0
  echo "apt: installing ${missing[*]}"
  if [ -z "$APT_UPDATED" ]; then
    apt-get update -qq >/dev/null || true
    APT_UPDATED=1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

# mvn_copy GROUP:ARTIFACT:VERSION[:TYPE[:CLASSIFIER]] DEST_DIR — fetch one artifact from
# Maven Central (cached in ~/.m2) and copy it to DEST_DIR.
mvn_copy() {
  local artifact="$1" dest="$2" tmp
  mkdir -p "$dest"
  tmp="$(mktemp -d)"
  (cd "$tmp" && mvn -B -q -Dstyle.color=never "$MAVEN_DEPENDENCY_PLUGIN:copy" -Dartifact="$artifact" \
    -DoutputDirectory="$dest" -Dmdep.overWriteReleases=false) >>"$LOGS_DIR/fetch.log" 2>&1 \
    || { rm -rf "$tmp"; tail -n 20 "$LOGS_DIR/fetch.log" >&2; return 1; }
  rm -rf "$tmp"
}

# render TEMPLATE DEST — substitutes ${VAR} references of the exported environment
# variables named in the template (others are left alone).
render() {
  local vars
  vars="$(grep -o '\${[A-Z_][A-Z0-9_]*}' "$1" | sort -u | tr -d '\n' || true)"
  envsubst "$vars" <"$1" >"$2.tmp"
  mv "$2.tmp" "$2"
}

# One rewind command changes the stack at a time (e.g. a test restarting Kafka while the e2e
# module starts the services). Started servers do not inherit the lock (spawn closes fd 9).
take_lock() {
  exec 9>"$REWIND_HOME/.lock"
  flock -w 900 9 || { echo "rewind: another ./rewind command holds $REWIND_HOME/.lock for 15 minutes; giving up" >&2; exit 1; }
}
release_lock() { exec 9>&-; }

# status_line PART PID PORTS STATE
status_line() { printf '%-17s %-8s pid %-8s %s\n' "$1" "$2" "${3:--}" "$4"; }
