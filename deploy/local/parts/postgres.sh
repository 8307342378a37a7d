# shellcheck shell=bash
# postgres: the machine's own PostgreSQL on 127.0.0.1:5432 (never stopped by rewind).

pg_ready() { pg_isready -q -h "$REWIND_DB_HOST" -p "$REWIND_DB_PORT"; }
# Superuser psql: over TCP when trusted (this machine), else as the postgres OS user over the
# local socket (peer authentication of a fresh Debian install).
pg_admin() {
  if psql -h "$REWIND_DB_HOST" -p "$REWIND_DB_PORT" -U postgres -d postgres -w -qAtX -c 'SELECT 1' >/dev/null 2>&1; then
    psql -h "$REWIND_DB_HOST" -p "$REWIND_DB_PORT" -U postgres -d postgres -w -v ON_ERROR_STOP=1 -qAtX "$@"
  else
    runuser -u postgres -- psql -p "$REWIND_DB_PORT" -d postgres -v ON_ERROR_STOP=1 -qAtX "$@"
  fi
}

postgres_launch() {
  if ! command -v pg_isready >/dev/null 2>&1; then
    apt_install postgresql postgresql-client
  fi
  if ! pg_ready; then
    local ver
    ver="$(ls /etc/postgresql 2>/dev/null | sort -V | tail -1 || true)"
    if [ -z "$ver" ]; then
      apt_install postgresql
      ver="$(ls /etc/postgresql | sort -V | tail -1)"
    fi
    say postgres "not answering on $REWIND_DB_HOST:$REWIND_DB_PORT, starting cluster $ver/main"
    pg_ctlcluster --skip-systemctl-redirect "$ver" main start || true
  fi
}

postgres_ready() {
  wait_for postgres 60 "PostgreSQL on $REWIND_DB_HOST:$REWIND_DB_PORT" pg_ready \
    || die postgres "PostgreSQL does not answer on $REWIND_DB_HOST:$REWIND_DB_PORT"
  pg_admin <<SQL
DO \$\$
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '$REWIND_DB_USER') THEN
    CREATE ROLE "$REWIND_DB_USER" LOGIN CREATEDB PASSWORD '$REWIND_DB_PASSWORD';
  ELSE
    ALTER ROLE "$REWIND_DB_USER" LOGIN CREATEDB PASSWORD '$REWIND_DB_PASSWORD';
  END IF;
END
\$\$;
SQL
  local db created=()
  for db in $REWIND_DATABASES; do
    if [ "$(pg_admin -c "SELECT 1 FROM pg_database WHERE datname = '$db'")" != "1" ]; then
      pg_admin -c "CREATE DATABASE \"$db\" OWNER \"$REWIND_DB_USER\" ENCODING 'UTF8'"
      created+=("$db")
    fi
  done
  say postgres "ready on $REWIND_DB_HOST:$REWIND_DB_PORT (role $REWIND_DB_USER; databases: $REWIND_DATABASES${created:+; created now: ${created[*]}})"
}

postgres_stop() { say postgres "left running (the machine's own PostgreSQL; rewind never stops it)"; }

postgres_status() {
  local pid
  pid="$(port_listeners "$REWIND_DB_PORT" | head -1)"
  if pg_ready; then status_line postgres running "$pid" "$REWIND_DB_HOST:$REWIND_DB_PORT (machine's server)"
  else status_line postgres stopped "" "$REWIND_DB_HOST:$REWIND_DB_PORT (machine's server)"; fi
}

# Drops and recreates every Rewind database: the test command starts from empty databases, so what a
# run proves never depends on rows or migrations an earlier run (or a developer) left behind.
postgres_reset_databases() {
  local db
  for db in $REWIND_DATABASES; do
    pg_admin -c "DROP DATABASE IF EXISTS \"$db\" WITH (FORCE)"
    pg_admin -c "CREATE DATABASE \"$db\" OWNER \"$REWIND_DB_USER\" ENCODING 'UTF8'"
  done
  say postgres "databases reset: $REWIND_DATABASES"
}
