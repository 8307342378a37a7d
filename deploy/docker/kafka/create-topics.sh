#!/bin/bash
# Creates Rewind's topics from deploy/local/kafka/topics.txt (the one list) on the compose broker.
# Usage (inside the apache/kafka image): create-topics.sh BOOTSTRAP TOPICS_FILE  (KAFKA_HOME: /opt/kafka)
set -euo pipefail
bootstrap="$1"
list="$2"
while read -r name partitions configs _; do
  case "$name" in '' | '#'*) continue ;; esac
  # the test suite's own topic is not part of a deployment
  [ "$name" = rewind.commons-test ] && continue
  args=()
  if [ "${configs:--}" != "-" ]; then
    IFS=',' read -ra pairs <<<"$configs"
    for kv in "${pairs[@]}"; do args+=(--config "$kv"); done
  fi
  "${KAFKA_HOME:-/opt/kafka}/bin/kafka-topics.sh" --bootstrap-server "$bootstrap" --create --if-not-exists \
    --topic "$name" --partitions "$partitions" --replication-factor 1 "${args[@]}"
done <"$list"
