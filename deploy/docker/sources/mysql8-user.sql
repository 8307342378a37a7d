-- The account Rewind uses on the MySQL 8 source (as deploy/local/parts/mysql8.sh gives it); runs once on an
-- empty data volume, before shop.sql.
CREATE USER IF NOT EXISTS 'rewind'@'%' IDENTIFIED WITH mysql_native_password BY 'rewind';
GRANT SELECT, RELOAD, LOCK TABLES, SHOW VIEW, EVENT, TRIGGER, PROCESS, SHOW DATABASES,
      REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO 'rewind'@'%';
GRANT BACKUP_ADMIN ON *.* TO 'rewind'@'%';
