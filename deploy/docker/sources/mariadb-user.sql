-- The account Rewind uses on the MariaDB source (backup and binlog grants, as deploy/local/parts/mariadb.sh
-- gives it); runs once on an empty data volume, before shop.sql.
CREATE USER IF NOT EXISTS 'rewind'@'%' IDENTIFIED BY 'rewind';
GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER, PROCESS, SHOW DATABASES,
      REPLICATION SLAVE, REPLICATION CLIENT, BINLOG MONITOR ON *.* TO 'rewind'@'%';
