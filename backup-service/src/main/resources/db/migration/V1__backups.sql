-- One backup run of one server: its phase, its artifacts in S3 and the binlog position it is a baseline for.
create table backup (
    id               uuid         primary key,
    tenant           varchar(100) not null,
    schedule_id      uuid,
    server_id        uuid         not null,
    server_name      varchar(100) not null,
    backup_tool      varchar(20)  not null check (backup_tool in ('mydumper', 'mysqldump')),
    status           varchar(20)  not null check (status in ('queued', 'running', 'completed', 'failed', 'deleted', 'expired')),
    phase            varchar(20)  not null check (phase in ('queued', 'dumping', 'uploading', 'verifying', 'complete', 'failed')),
    s3_path          varchar(1000),
    size_bytes       bigint       check (size_bytes >= 0),
    duration_ms      bigint       check (duration_ms >= 0),
    error_message    text,
    binlog_file      varchar(255),
    binlog_position  bigint,
    gtid_set         text,
    requested_by     varchar(255),
    started_at       timestamptz  not null,
    completed_at     timestamptz
);

create index backup_tenant_started on backup (tenant, started_at desc, id);
create index backup_tenant_server_started on backup (tenant, server_id, started_at desc);
