-- Servers as pitr-service knows them: a projection of rewind.servers (server.registered/updated/decommissioned).
-- kafka_partition is the partition of the server's key: the instance holding that partition streams the server.
create table server (
    id                 uuid         primary key,
    tenant             varchar(100) not null,
    name               varchar(100) not null,
    host               varchar(255) not null,
    port               int          not null,
    connection_method  varchar(20)  not null,
    firewall_confirmed boolean      not null default false,
    kafka_partition    int          not null,
    decommissioned_at  timestamptz,
    updated_at         timestamptz  not null
);
create index server_partition on server (kafka_partition) where decommissioned_at is null;

-- The stream of one server: where to resume (the checkpoint, written in the transaction of the events it covers)
-- and what the streamer is doing (state, error), so any replica can answer coverage.
create table stream_checkpoint (
    server_id         uuid         primary key,
    binlog_file       varchar(255) not null,
    binlog_pos        bigint       not null,
    gtid_set          text,
    last_gtid         varchar(100),
    last_commit_time  timestamptz,
    source_identity   varchar(100) not null,
    events_indexed    bigint       not null default 0,
    updated_at        timestamptz  not null
);

create table stream_status (
    server_id     uuid         primary key,
    state         varchar(20)  not null check (state in ('onboarding', 'connecting', 'streaming', 'failed', 'stopped')),
    error         text,
    instance      varchar(200),
    onboarded_at  timestamptz,
    state_at      timestamptz  not null
);

-- The row-event index: every row of every WRITE/UPDATE/DELETE rows event.
-- seq = binlog file number * 2^32 + position of the rows event: the binlog order across files.
-- The key (server, commit time, seq, row index) deduplicates an event's rows (commit time is fixed for an event)
-- and serves time-range scans; partitions are per UTC day so retention drops whole partitions.
-- Images are JSON objects column -> value, encoded as described in pitr-service/README.md.
create table row_event (
    server_id     uuid         not null,
    commit_time   timestamptz  not null,
    seq           bigint       not null,
    row_index     int          not null,
    binlog_file   varchar(255) not null,
    binlog_pos    bigint       not null,
    gtid          varchar(100),
    schema_name   varchar(64)  not null,
    table_name    varchar(64)  not null,
    op            varchar(6)   not null,
    pk            jsonb,
    before_image  jsonb,
    after_image   jsonb,
    primary key (server_id, commit_time, seq, row_index)
) partition by range (commit_time);

-- PITR (#6) merges baselines with events table by table, by primary key, in binlog order up to a target time
create index row_event_by_table on row_event (server_id, schema_name, table_name, commit_time);

-- Events per server and UTC day, maintained in the writer's transaction: total_events without counting rows.
create table row_event_day (
    server_id  uuid    not null,
    day        date    not null,
    events     bigint  not null,
    primary key (server_id, day)
);

-- Versioned schema snapshots from the source's information_schema (tables, columns, types, keys).
create table schema_snapshot (
    server_id    uuid         not null,
    version      int          not null,
    taken_at     timestamptz  not null,
    reason       varchar(200) not null,
    binlog_file  varchar(255),
    binlog_pos   bigint,
    tables       jsonb        not null,
    primary key (server_id, version)
);

-- Stretches of binlog that were never indexed.
create table binlog_gap (
    id           uuid         primary key,
    server_id    uuid         not null,
    tenant       varchar(100) not null,
    kind         varchar(30)  not null check (kind in ('binlog_purged', 'identity_changed', 'restarted_past_unread')),
    gap_start    timestamptz  not null,
    gap_end      timestamptz  not null,
    from_file    varchar(255),
    from_pos     bigint,
    to_file      varchar(255),
    to_pos       bigint,
    message      text         not null,
    detected_at  timestamptz  not null
);
create index binlog_gap_server on binlog_gap (server_id, gap_start);

-- Completed backups known from rewind.backups: the PITR baselines.
create table baseline (
    backup_id        uuid          primary key,
    server_id        uuid          not null,
    tenant           varchar(100)  not null,
    s3_path          varchar(1000),
    binlog_file      varchar(255),
    binlog_position  bigint,
    gtid_set         text,
    size_bytes       bigint,
    completed_at     timestamptz   not null,
    deleted_at       timestamptz
);
create index baseline_server on baseline (server_id, completed_at);
