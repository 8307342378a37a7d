-- The rows of a large transaction still being read. The streamer hands a transaction over in chunks once it holds
-- more rows or bytes than it may keep in memory; the writer parks each chunk here, tagged with its stream, and moves
-- the transaction's rows into row_event (with their commit time) in the transaction that writes its commit and the
-- checkpoint. Readers never look here, so a half-indexed transaction is never part of a PITR or of row history.
-- Unlogged: after a crash of PostgreSQL the stream reads the transaction again from the checkpoint anyway.
create unlogged table row_event_pending (
    server_id     uuid         not null,
    stream        uuid         not null,
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
    primary key (server_id, stream, seq, row_index)
);


-- How often a live stream of the server died: the attempt of the streaming step it reports to server-registry
-- (a failure, then the recovery), counted here so that it only grows, whichever instance streams the server.
alter table stream_status add column failures int not null default 0;
