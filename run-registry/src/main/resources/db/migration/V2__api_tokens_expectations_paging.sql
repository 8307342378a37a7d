-- The list walks (received_at, run_id) downwards, page after page (keyset cursor): one index serves both the
-- order and the cursor condition when scanned backwards. It replaces V1's (received_at desc, run_id asc) index.
drop index backup_run_tenant_received;
create index backup_run_tenant_received_run on backup_run (tenant, received_at, run_id);

-- The summary: per job, the newest run and success by end_time.
create index backup_run_tenant_job_end on backup_run (tenant, job_name, end_time);

-- API tokens for tools that report runs. The token itself is shown once; only its SHA-256 is kept.
-- The token carries its id (rr_<id>.<secret>): the row is found by id, the hash compared in constant time.
create table api_token (
    id          uuid          primary key,
    tenant      varchar(100)  not null,
    name        varchar(100),
    token_hash  bytea         not null check (octet_length(token_hash) = 32),
    created_by  varchar(200),
    created_at  timestamptz   not null,
    revoked_at  timestamptz
);

create index api_token_tenant on api_token (tenant, created_at);

-- How often a job is expected to succeed; the summary marks it stale when its last success is older.
-- Jobs without a row here use the configured default (rewind.runs.default-expected-interval).
create table job_expectation (
    tenant                     varchar(100)  not null,
    job_name                   varchar(200)  not null,
    expected_interval_seconds  bigint        not null check (expected_interval_seconds > 0),
    updated_at                 timestamptz   not null,
    primary key (tenant, job_name)
);
