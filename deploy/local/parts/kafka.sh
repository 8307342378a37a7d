# shellcheck shell=bash
# kafka: Apache Kafka 4.4.0, one KRaft node (broker+controller) on 127.0.0.1:9092 / 9093.
# Data stays under $REWIND_HOME/kafka/data across stop/start (only `./rewind clean` removes it).

KAFKA_STATE="$REWIND_HOME/kafka"
KAFKA_LIB="$KAFKA_STATE/lib"
KAFKA_PORT="${KAFKA_BOOTSTRAP_SERVERS##*:}"
export KAFKA_STATE KAFKA_PORT

kafka_classpath() {
  if [ ! -f "$KAFKA_LIB/.complete" ]; then
    say kafka "fetching the broker classpath from Maven Central (kafka_2.13:4.4.0)"
    rm -rf "$KAFKA_LIB"
    mkdir -p "$KAFKA_LIB"
    (cd "$KAFKA_STATE" && mvn -B -q -Dstyle.color=never -f "$LOCAL_DIR/kafka/pom.xml" \
      "$MAVEN_DEPENDENCY_PLUGIN:copy-dependencies" -DoutputDirectory="$KAFKA_LIB" -DincludeScope=runtime) \
      >>"$LOGS_DIR/fetch.log" 2>&1 || { tail -n 20 "$LOGS_DIR/fetch.log" >&2; die kafka "could not fetch the Kafka classpath with Maven"; }
    touch "$KAFKA_LIB/.complete"
  fi
}

kafka_launch() {
  local pid
  pid="$(pid_of kafka)"
  if [ -n "$pid" ]; then
    say kafka "already running (pid $pid) on $KAFKA_BOOTSTRAP_SERVERS"
    return 0
  fi
  ensure_port_free kafka "$KAFKA_PORT" "$REWIND_KAFKA_CONTROLLER_PORT"
  mkdir -p "$KAFKA_STATE/data"
  kafka_classpath
  render "$LOCAL_DIR/kafka/server.properties.tmpl" "$KAFKA_STATE/server.properties"
  if [ ! -f "$KAFKA_STATE/data/meta.properties" ]; then
    local cluster_id
    cluster_id="$(java -cp "$KAFKA_LIB/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -1)"
    java -cp "$KAFKA_LIB/*" -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.properties" \
      kafka.tools.StorageTool format -t "$cluster_id" -c "$KAFKA_STATE/server.properties" \
      >>"$LOGS_DIR/kafka.log" 2>&1 || die kafka "storage format failed (see $LOGS_DIR/kafka.log)"
    say kafka "formatted new KRaft storage (cluster $cluster_id)"
  fi
  spawn kafka "$LOGS_DIR/kafka.log" java -Xms256m -Xmx512m -XX:+UseG1GC \
    -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2.properties" \
    -cp "$KAFKA_LIB/*" kafka.Kafka "$KAFKA_STATE/server.properties"
  KAFKA_JUST_STARTED=1
}

kafka_ready() {
  wait_for kafka 90 "the broker on $KAFKA_BOOTSTRAP_SERVERS" tcp_open 127.0.0.1 "$KAFKA_PORT" \
    || die kafka "broker did not come up"
  # the listener opens before the node finishes joining the quorum: the topics step waits for it
  local out i
  for ((i = 0; i < 5; i++)); do
    if out="$(java -cp "$KAFKA_LIB/*" -Dlog4j2.level=warn -Dlog4j2.configurationFile="$LOCAL_DIR/kafka/log4j2-cli.properties" \
      "$LOCAL_DIR/kafka/Topics.java" "$LOCAL_DIR/kafka/topics.txt" "$KAFKA_BOOTSTRAP_SERVERS" 2>>"$LOGS_DIR/kafka-topics.log")"; then
      echo "$out" | sed 's/^/kafka: /'
      break
    fi
    sleep 2
  done
  [ "$i" -lt 5 ] || die kafka "could not create the topics (see $LOGS_DIR/kafka-topics.log)"
  if [ -n "${KAFKA_JUST_STARTED:-}" ]; then
    say kafka "started (pid $(pid_of kafka)) on $KAFKA_BOOTSTRAP_SERVERS"
  fi
}

kafka_stop() { stop_part kafka 60; }

kafka_status() {
  local pid
  pid="$(pid_of kafka)"
  if [ -n "$pid" ] && port_listening "$KAFKA_PORT"; then
    status_line kafka running "$pid" "$KAFKA_BOOTSTRAP_SERVERS (controller :$REWIND_KAFKA_CONTROLLER_PORT)"
  elif [ -n "$pid" ]; then status_line kafka starting "$pid" "$KAFKA_BOOTSTRAP_SERVERS"
  else status_line kafka stopped "" "$KAFKA_BOOTSTRAP_SERVERS"; fi
}
