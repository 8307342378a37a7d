-- One point-in-time recovery run of one server.
create table pitr_run (
    id              uuid         primary key,
    tenant          varchar(100) not null,
    server_id       uuid         not null,
    server_name     varchar(100) not null,
    target_time     timestamptz  not null,
    tables_filter   text,
    allow_gaps      boolean      not null default false,
    status          varchar(20)  not null check (status in ('running', 'completed', 'failed')),
    phase           varchar(20)  not null check (phase in ('preparing', 'reconstructing', 'uploading', 'complete', 'failed')),
    s3_path         varchar(1000),
    size_bytes      bigint       check (size_bytes >= 0),
    file_count      int          check (file_count >= 0),
    duration_ms     bigint       check (duration_ms >= 0),
    error_message   text,
    started_at      timestamptz  not null,
    completed_at    timestamptz
);

create index pitr_run_tenant_server_started on pitr_run (tenant, server_id, started_at desc, id);
-- one running PITR per server, enforced by the database even with several replicas
create unique index pitr_run_one_running on pitr_run (server_id) where status = 'running';
