-- One reported backup run. run_id is the reporter's id; the same run_id again overwrites the run.
create table backup_run (
    tenant             varchar(100)  not null,
    run_id             varchar(200)  not null,
    job_name           varchar(200)  not null,
    agent_id           varchar(200)  not null,
    start_time         timestamptz   not null,
    end_time           timestamptz   not null,
    status             varchar(10)   not null check (status in ('success', 'failure', 'partial')),
    bytes_backed_up    bigint        check (bytes_backed_up >= 0),
    encrypted          boolean,
    encryption_status  varchar(12)   check (encryption_status in ('encrypted', 'unencrypted', 'partial', 'failed')),
    error              text,
    metadata           text,
    source             varchar(100)  not null default 'api',
    received_at        timestamptz   not null,
    primary key (tenant, run_id),
    check (end_time >= start_time)
);

create index backup_run_tenant_received on backup_run (tenant, received_at desc, run_id);
