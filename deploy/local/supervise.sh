#!/usr/bin/env bash
# supervise.sh COMMAND... — the local stack's process supervisor for one service: runs COMMAND and starts it again
# (after 1 s, doubling up to 30 s) whenever it dies other than by being stopped: a crash, kill -9, or the JVM ending
# itself on OutOfMemoryError (-XX:+ExitOnOutOfMemoryError). A TERM (./rewind stop) is passed on and waited for, so
# the service drains as it would under Kubernetes.
set -u
child=""
stopping=""
on_term() {
  stopping=1
  [ -n "$child" ] && kill -TERM "$child" 2>/dev/null
  [ -n "$child" ] && wait "$child" 2>/dev/null
  exit 0
}
trap on_term TERM INT
delay=1
while :; do
  "$@" &
  child=$!
  wait "$child"
  rc=$?
  [ -n "$stopping" ] && exit 0
  # 0 and 143 are a stop by someone else (a TERM to the JVM alone): not a failure to recover from
  if [ "$rc" -eq 0 ] || [ "$rc" -eq 143 ]; then exit "$rc"; fi
  echo "==== $(date -Is) supervise: exited with status $rc; starting it again in ${delay}s"
  sleep "$delay"
  delay=$((delay * 2 > 30 ? 30 : delay * 2))
done
