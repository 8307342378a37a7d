-- What a PITR run needs beyond its reference shape: the baseline it started from, what it noted along the way
-- (gaps allowed, tables matched on full rows, inconsistencies), and which instance runs it with a heartbeat,
-- so a run whose instance died is found (heartbeat too old), marked failed and its partial output removed.
alter table pitr_run add column baseline_backup_id uuid;
alter table pitr_run add column notes text;
alter table pitr_run add column instance varchar(200);
alter table pitr_run add column heartbeat_at timestamptz;

create index pitr_run_running on pitr_run (heartbeat_at) where status = 'running';
