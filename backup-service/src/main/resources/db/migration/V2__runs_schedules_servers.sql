-- The servers backup-service knows, projected from rewind.servers (server-registry owns them).
create table server (
    id              uuid         primary key,
    tenant          varchar(100) not null,
    name            varchar(100) not null,
    decommissioned  boolean      not null default false,
    updated_at      timestamptz  not null default now()
);

-- Backup schedules: a 5-field cron in UTC; next_run is the next due time, claimed with FOR UPDATE SKIP LOCKED.
create table backup_schedule (
    id               uuid         primary key,
    tenant           varchar(100) not null,
    server_id        uuid         not null,
    schedule_cron    varchar(100) not null,
    backup_tool      varchar(20)  not null check (backup_tool in ('mydumper', 'mysqldump')),
    retention_days   int          not null check (retention_days between 1 and 365),
    retention_count  int          check (retention_count between 1 and 1000),
    s3_prefix        varchar(200),
    databases        text,
    enabled          boolean      not null default true,
    next_run         timestamptz  not null,
    last_run         timestamptz,
    last_status      varchar(20),
    created_at       timestamptz  not null
);

create index backup_schedule_due on backup_schedule (next_run) where enabled;
create index backup_schedule_tenant on backup_schedule (tenant, created_at);

-- What a run needs beyond the history shape: what to dump, who runs it, what it found.
alter table backup
    add column databases        text,
    add column s3_prefix        varchar(200),
    add column retention_days   int,
    add column retention_note   text,
    add column tables_json      text,
    add column claimed_by       varchar(100),
    add column heartbeat_at     timestamptz,
    add column dump_started_at  timestamptz;

-- One backup per server at a time: a second one waits in phase queued.
create unique index backup_one_active_per_server on backup (server_id)
    where phase in ('dumping', 'uploading', 'verifying');
create index backup_queued on backup (started_at) where phase = 'queued';
create index backup_requested_by on backup (requested_by, started_at) where schedule_id is null;
