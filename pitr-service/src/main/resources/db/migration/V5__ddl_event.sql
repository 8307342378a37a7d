-- Every DDL statement the stream read, where it is in the binlog, with the schema snapshot version taken after it.
-- PITR reads those between a baseline and a target: ALTER TABLE (rows carried to the schema at the target, columns
-- renamed, dropped, added with their default), TRUNCATE / DROP TABLE / DROP DATABASE (rows written before them gone),
-- RENAME TABLE (a table's rows under its earlier names).
-- seq orders it with row_event.seq; ran_at is the statement's start (the value CURRENT_TIMESTAMP had in it).
create table ddl_event (
    server_id         uuid          not null,
    seq               bigint        not null,
    commit_time       timestamptz   not null,
    ran_at            timestamptz   not null,
    binlog_file       varchar(255)  not null,
    binlog_pos        bigint        not null,
    database_name     varchar(64),
    statement         text          not null,
    snapshot_version  int           not null,
    primary key (server_id, seq)
);
create index ddl_event_by_time on ddl_event (server_id, commit_time);
