# shellcheck shell=bash
# s3: S3Proxy 4.1.0 (a real S3 API, SigV4 checked) over $REWIND_HOME/s3/data on 127.0.0.1:9000.
# A sub-directory of the basedir is a bucket: the bucket is created by mkdir before start.

S3_STATE="$REWIND_HOME/s3"
S3_PORT="${REWIND_S3_ENDPOINT##*:}"
S3_JAR="$S3_STATE/s3proxy-4.1.0-jar-with-dependencies.jar"
export S3_STATE

# SigV4-signed HEAD of the bucket (curl 7.88 needs the empty-payload hash given explicitly)
S3_EMPTY_SHA256=e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855
s3_head_bucket() {
  [ "$(curl -s -o /dev/null -w '%{http_code}' --max-time 3 --aws-sigv4 "aws:amz:$REWIND_S3_REGION:s3" \
    -H "x-amz-content-sha256: $S3_EMPTY_SHA256" \
    --user "$REWIND_S3_ACCESS_KEY:$REWIND_S3_SECRET_KEY" -I "$REWIND_S3_ENDPOINT/$REWIND_S3_BUCKET")" = "200" ]
}

s3_launch() {
  local pid
  mkdir -p "$S3_STATE/data/$REWIND_S3_BUCKET"
  pid="$(pid_of s3)"
  if [ -n "$pid" ]; then
    say s3 "already running (pid $pid) on $REWIND_S3_ENDPOINT"
    return 0
  fi
  ensure_port_free s3 "$S3_PORT"
  if [ ! -f "$S3_JAR" ]; then
    say s3 "fetching S3Proxy 4.1.0 from Maven Central"
    mvn_copy org.gaul:s3proxy:4.1.0:jar:jar-with-dependencies "$S3_STATE" || die s3 "could not fetch S3Proxy"
  fi
  render "$LOCAL_DIR/s3/s3proxy.properties.tmpl" "$S3_STATE/s3proxy.properties"
  spawn s3 "$LOGS_DIR/s3.log" java -Xmx256m -jar "$S3_JAR" --properties "$S3_STATE/s3proxy.properties"
  S3_JUST_STARTED=1
}

s3_ready() {
  wait_for s3 60 "S3Proxy on $REWIND_S3_ENDPOINT" tcp_open 127.0.0.1 "$S3_PORT" || die s3 "S3Proxy did not come up"
  wait_for s3 30 "bucket $REWIND_S3_BUCKET (signed HEAD)" s3_head_bucket \
    || die s3 "signed HEAD of bucket $REWIND_S3_BUCKET failed"
  if [ -n "${S3_JUST_STARTED:-}" ]; then
    say s3 "started (pid $(pid_of s3)) on $REWIND_S3_ENDPOINT, bucket $REWIND_S3_BUCKET ready"
  else
    say s3 "bucket $REWIND_S3_BUCKET ready"
  fi
}

s3_stop() { stop_part s3 20; }

s3_status() {
  local pid
  pid="$(pid_of s3)"
  if [ -n "$pid" ] && port_listening "$S3_PORT"; then status_line s3 running "$pid" "$REWIND_S3_ENDPOINT (bucket $REWIND_S3_BUCKET)"
  elif [ -n "$pid" ]; then status_line s3 starting "$pid" "$REWIND_S3_ENDPOINT"
  else status_line s3 stopped "" "$REWIND_S3_ENDPOINT"; fi
}

# A signed GET of the local bucket (curl's SigV4; the path and query must already be URL-encoded).
s3_get() {
  curl -sf --aws-sigv4 "aws:amz:$REWIND_S3_REGION:s3" -H "x-amz-content-sha256: $S3_EMPTY_SHA256" \
    --user "$REWIND_S3_ACCESS_KEY:$REWIND_S3_SECRET_KEY" "$@"
}

# ./rewind fetch s3://bucket/prefix/ DIR — downloads every object under the prefix into DIR (a backup or a
# PITR dump, ready for myloader), with no AWS CLI: the local stack's bucket and keys only.
s3_fetch() {
  local path="$1" dir="$2" rest bucket prefix token="" page keys key n=0
  case "$path" in s3://*/*) ;; *) echo "rewind fetch: expected s3://bucket/prefix/, got '$path'" >&2; return 2 ;; esac
  rest="${path#s3://}"; bucket="${rest%%/*}"; prefix="${rest#*/}"
  mkdir -p "$dir"
  while :; do
    page="$(s3_get "$REWIND_S3_ENDPOINT/$bucket?list-type=2${token:+&continuation-token=$(jq -rn --arg v "$token" '$v|@uri')}&prefix=$(jq -rn --arg v "$prefix" '$v|@uri')")" \
      || { echo "rewind fetch: cannot list $path" >&2; return 1; }
    keys="$(grep -o '<Key>[^<]*</Key>' <<<"$page" | sed 's/<[^>]*>//g' || true)"
    while IFS= read -r key; do
      [ -n "$key" ] || continue
      mkdir -p "$dir/$(dirname "${key#"$prefix"}")"
      s3_get -o "$dir/${key#"$prefix"}" "$REWIND_S3_ENDPOINT/$bucket/$(jq -rn --arg v "$key" '$v|@uri' | sed 's/%2F/\//g')" \
        || { echo "rewind fetch: cannot download $key" >&2; return 1; }
      n=$((n + 1))
    done <<<"$keys"
    grep -q '<IsTruncated>true</IsTruncated>' <<<"$page" || break
    token="$(grep -o '<NextContinuationToken>[^<]*</NextContinuationToken>' <<<"$page" | sed 's/<[^>]*>//g')"
  done
  [ "$n" -gt 0 ] || { echo "rewind fetch: nothing under $path" >&2; return 1; }
  echo "fetched $n files into $dir"
}
