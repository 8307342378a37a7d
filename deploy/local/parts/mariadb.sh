# shellcheck shell=bash
# mariadb: a dedicated MariaDB 10.11 binlog source (own datadir/socket) on 127.0.0.1:3307,
# server_id 11, ROW binlog with full metadata, user rewind and the sample schema `shop`.
# The machine's own MariaDB on 3306 is never touched.

MARIADB_STATE="$REWIND_HOME/mariadb"
export MARIADB_STATE

# root over the instance's socket (with the password once bootstrapped, empty before)
mariadb_root() {
  local pw=()
  if mariadb --no-defaults -S "$MARIADB_STATE/mysqld.sock" -uroot -p"$REWIND_SOURCE_ROOT_PASSWORD" -e 'SELECT 1' >/dev/null 2>&1; then
    pw=(-p"$REWIND_SOURCE_ROOT_PASSWORD")
  fi
  mariadb --no-defaults --default-character-set=utf8mb4 -S "$MARIADB_STATE/mysqld.sock" -uroot "${pw[@]}" "$@"
}

mariadb_launch() {
  local pid
  pid="$(pid_of mariadb)"
  if [ -n "$pid" ]; then
    say mariadb "already running (pid $pid) on $REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT"
    return 0
  fi
  command -v mariadbd >/dev/null 2>&1 || apt_install mariadb-server mariadb-client
  ensure_port_free mariadb "$REWIND_MARIADB_PORT"
  mkdir -p "$MARIADB_STATE/binlog"
  tls_ensure
  render "$LOCAL_DIR/sources/mariadb.cnf.tmpl" "$MARIADB_STATE/my.cnf"
  if [ ! -d "$MARIADB_STATE/data/mysql" ]; then
    say mariadb "initialising a new data directory"
    rm -rf "$MARIADB_STATE/data"
    mariadb-install-db --defaults-file="$MARIADB_STATE/my.cnf" --auth-root-authentication-method=normal \
      >>"$LOGS_DIR/mariadb.log" 2>&1 || die mariadb "mariadb-install-db failed (see $LOGS_DIR/mariadb.log)"
  fi
  spawn mariadb "$LOGS_DIR/mariadb.log" mariadbd --defaults-file="$MARIADB_STATE/my.cnf"
  MARIADB_JUST_STARTED=1
}

mariadb_ready() {
  # (ping succeeds as soon as the server answers, even when access is denied)
  wait_for mariadb 60 "MariaDB on port $REWIND_MARIADB_PORT" mariadb-admin --no-defaults -S "$MARIADB_STATE/mysqld.sock" -uroot ping \
    || die mariadb "MariaDB did not come up (see $MARIADB_STATE/error.log)"
  if [ ! -f "$MARIADB_STATE/.bootstrapped" ]; then
    # mariadb-install-db leaves anonymous users and password-less root@<host>/::1/127.0.0.1: drop them
    mariadb_root -N -e "SELECT CONCAT('DROP USER ', QUOTE(User), '@', QUOTE(Host), ';') FROM mysql.user
      WHERE User = '' OR (User = 'root' AND Host NOT IN ('localhost'))" | mariadb_root \
      || die mariadb "could not drop the default accounts"
    mariadb_root <<SQL || die mariadb "bootstrap SQL failed"
ALTER USER 'root'@'localhost' IDENTIFIED BY '$REWIND_SOURCE_ROOT_PASSWORD';
CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '$REWIND_SOURCE_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED BY '$REWIND_SOURCE_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
    touch "$MARIADB_STATE/.bootstrapped"
  fi
  mariadb_root <<SQL || die mariadb "user/schema SQL failed"
CREATE USER IF NOT EXISTS '$REWIND_SOURCE_USER'@'%' IDENTIFIED BY '$REWIND_SOURCE_PASSWORD';
GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER, PROCESS, SHOW DATABASES,
      REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO '$REWIND_SOURCE_USER'@'%';
SQL
  mariadb_root <"$LOCAL_DIR/sources/shop.sql" || die mariadb "loading shop.sql failed"
  if [ -n "${MARIADB_JUST_STARTED:-}" ]; then
    say mariadb "started (pid $(pid_of mariadb)) on $REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT (server_id 11, ROW binlog, schema shop)"
  else
    say mariadb "ready on $REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT (schema shop)"
  fi
}

mariadb_stop() { stop_part mariadb 60; }

mariadb_status() {
  local pid
  pid="$(pid_of mariadb)"
  if [ -n "$pid" ] && port_listening "$REWIND_MARIADB_PORT"; then status_line mariadb running "$pid" "$REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT"
  elif [ -n "$pid" ]; then status_line mariadb starting "$pid" "$REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT"
  else status_line mariadb stopped "" "$REWIND_MARIADB_HOST:$REWIND_MARIADB_PORT"; fi
}
