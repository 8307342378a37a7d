# shellcheck shell=bash
# gateway: nginx on 127.0.0.1:8080 routing by path to the services (deploy/local/gateway/nginx.conf.tmpl).

GATEWAY_STATE="$REWIND_HOME/gateway"
GATEWAY_PORT="${REWIND_GATEWAY_URL##*:}"
REWIND_LOGS="$LOGS_DIR"
export GATEWAY_STATE GATEWAY_PORT REWIND_LOGS

gateway_render() {
  mkdir -p "$GATEWAY_STATE/tmp"
  render "$LOCAL_DIR/gateway/nginx.conf.tmpl" "$GATEWAY_STATE/nginx.conf"
  nginx -e "$LOGS_DIR/gateway.log" -p "$GATEWAY_STATE" -c "$GATEWAY_STATE/nginx.conf" -t >>"$LOGS_DIR/gateway.log" 2>&1 \
    || { tail -n 5 "$LOGS_DIR/gateway.log" >&2; die gateway "invalid nginx configuration"; }
}

gateway_start() {
  local pid
  command -v nginx >/dev/null 2>&1 || apt_install nginx
  pid="$(pid_of gateway)"
  if [ -n "$pid" ]; then
    # keep it running, but pick up a changed configuration
    gateway_render
    kill -HUP "$pid"
    say gateway "already running (pid $pid) on $REWIND_GATEWAY_URL (configuration reloaded)"
    return 0
  fi
  ensure_port_free gateway "$GATEWAY_PORT"
  gateway_render
  spawn gateway "$LOGS_DIR/gateway.log" nginx -e "$LOGS_DIR/gateway.log" -p "$GATEWAY_STATE" -c "$GATEWAY_STATE/nginx.conf"
  wait_for gateway 20 "nginx on $REWIND_GATEWAY_URL" tcp_open 127.0.0.1 "$GATEWAY_PORT" || die gateway "nginx did not start"
  say gateway "started (pid $(pid_of gateway)) on $REWIND_GATEWAY_URL"
}

gateway_stop() { stop_part gateway 10; }

gateway_status() {
  local pid
  pid="$(pid_of gateway)"
  if [ -n "$pid" ] && port_listening "$GATEWAY_PORT"; then status_line gateway running "$pid" "$REWIND_GATEWAY_URL"
  else status_line gateway stopped "" "$REWIND_GATEWAY_URL"; fi
}
