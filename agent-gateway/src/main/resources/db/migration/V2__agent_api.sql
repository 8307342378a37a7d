-- The agent API: registration tokens, discovered databases, what agents pull (targets, schedules, alert
-- channels), their jobs with logs and verifications, schema snapshots and anomalies. Every row carries its tenant.

-- One-time registration tokens minted by admins; only the SHA-256 of the token is kept.
create table registration_token (
    id           uuid         primary key,
    tenant       varchar(100) not null,
    token_hash   char(64)     not null unique,
    description  varchar(200),
    created_by   varchar(255),
    created_at   timestamptz  not null,
    expires_at   timestamptz  not null,
    used_at      timestamptz,
    agent_id     uuid,
    revoked_at   timestamptz
);
create index registration_token_tenant on registration_token (tenant, created_at, id);

-- The hash of the configuration the agent should run (schedules, targets, alert channels); a heartbeat
-- carrying another hash is told configChanged.
alter table agent add column desired_config_hash char(64) not null default '';
alter table agent add column registration_token_id uuid;

-- A database an agent discovered on its host; the id is the databaseId of jobs, schedules and snapshots.
create table agent_database (
    id             uuid         primary key,
    tenant         varchar(100) not null,
    agent_id       uuid         not null references agent (id),
    db_type        varchar(50)  not null,
    db_version     varchar(50),
    host           varchar(255) not null,
    port           varchar(10)  not null,
    database_name  varchar(255) not null,
    present        boolean      not null default true,
    first_seen_at  timestamptz  not null default now(),
    last_seen_at   timestamptz  not null default now(),
    unique (agent_id, db_type, host, port, database_name)
);

-- Where agents upload backups; the agent uses its host's own credentials, none are stored here.
create table target (
    id          uuid         primary key,
    tenant      varchar(100) not null,
    name        varchar(100) not null,
    type        varchar(20)  not null,
    bucket      varchar(255),
    prefix      varchar(1024),
    region      varchar(100),
    endpoint    varchar(1024),
    created_at  timestamptz  not null,
    updated_at  timestamptz  not null,
    unique (tenant, name)
);

create table schedule (
    id              uuid         primary key,
    tenant          varchar(100) not null,
    agent_id        uuid         not null references agent (id),
    database_id     uuid         not null references agent_database (id),
    target_id       uuid         not null references target (id),
    cron            varchar(100) not null,
    retention_days  integer      not null,
    encrypt         boolean      not null default true,
    enabled         boolean      not null default true,
    created_at      timestamptz  not null,
    updated_at      timestamptz  not null
);
create index schedule_agent on schedule (agent_id, created_at, id);
create index schedule_target on schedule (target_id);

create table alert_channel (
    id           uuid         primary key,
    tenant       varchar(100) not null,
    name         varchar(100) not null,
    type         varchar(20)  not null,
    destination  varchar(1024) not null,
    events       text         not null default '[]',
    enabled      boolean      not null default true,
    created_at   timestamptz  not null,
    updated_at   timestamptz  not null,
    unique (tenant, name)
);

create table agent_job (
    id                uuid         primary key,
    tenant            varchar(100) not null,
    agent_id          uuid         not null references agent (id),
    database_id       uuid         not null references agent_database (id),
    target_id         uuid         not null,
    schedule_id       uuid,
    stage             varchar(20)  not null,
    encrypted         boolean      not null default false,
    dump_size         bigint,
    compressed_size   bigint,
    upload_path       varchar(2048),
    duration_ms       bigint,
    error_message     varchar(4000),
    error_code        varchar(100),
    started_at        timestamptz  not null,
    updated_at        timestamptz  not null,
    completed_at      timestamptz
);
create index agent_job_tenant_started on agent_job (tenant, started_at desc, id);
create index agent_job_database_completed on agent_job (database_id, stage, completed_at desc);

create table job_log (
    id           bigserial     primary key,
    job_id       uuid          not null references agent_job (id),
    level        varchar(10)   not null,
    message      varchar(10000) not null,
    logged_at    timestamptz   not null,
    received_at  timestamptz   not null
);
create index job_log_job on job_log (job_id, logged_at, id);

create table verification (
    id                   uuid         primary key,
    tenant               varchar(100) not null,
    job_id               uuid         not null references agent_job (id),
    status               varchar(10)  not null,
    container_id         varchar(255),
    restore_duration_ms  bigint,
    checks               text         not null default '[]',
    created_at           timestamptz  not null
);
create index verification_job on verification (job_id, created_at);

create table schema_snapshot (
    id            uuid         primary key,
    tenant        varchar(100) not null,
    agent_id      uuid         not null references agent (id),
    database_id   uuid         not null references agent_database (id),
    snapshot      text         not null,
    table_count   integer,
    column_count  integer,
    created_at    timestamptz  not null
);
create index schema_snapshot_database on schema_snapshot (database_id, created_at desc);

create table anomaly (
    id           uuid         primary key,
    tenant       varchar(100) not null,
    agent_id     uuid         not null references agent (id),
    database_id  uuid,
    job_id       uuid,
    kind         varchar(30)  not null,
    severity     varchar(10)  not null,
    title        varchar(500) not null,
    description  varchar(4000),
    details      text         not null default '{}',
    reported_by  varchar(10)  not null,
    detected_at  timestamptz  not null
);
create index anomaly_tenant_detected on anomaly (tenant, detected_at desc, id);
create index anomaly_job on anomaly (job_id);
