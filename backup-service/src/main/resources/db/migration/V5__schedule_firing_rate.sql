-- The most backups a schedule starts in any one hour (its cron over a day, #17): a tenant's enabled schedules
-- together may start at most rewind.backup.schedules.max-per-tenant-per-hour. Rows from before count as 1.
alter table backup_schedule add column peak_per_hour int not null default 1;
