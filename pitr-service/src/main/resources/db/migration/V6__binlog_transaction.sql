-- Every transaction the stream wrote (with row events, DDL, or just a GTID: a GRANT, an empty transaction) and where
-- it ends in the binlog. A PITR output's metadata comes from it: the binlog position to continue from (the end of the
-- last transaction included) and the GTID set (the baseline's set plus the GTIDs after the baseline up to the target).
create table binlog_transaction (
    server_id    uuid          not null,
    end_seq      bigint        not null,
    commit_time  timestamptz   not null,
    binlog_file  varchar(255)  not null,
    end_pos      bigint        not null,
    gtid         varchar(100),
    primary key (server_id, end_seq)
);
create index binlog_transaction_by_time on binlog_transaction (commit_time);

-- Since where binlog_transaction holds every transaction of the server (the checkpoint when it began recording
-- them): the metadata of an output is known only from a baseline at or after it.
alter table stream_checkpoint add column transactions_since_seq bigint;
