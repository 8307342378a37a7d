-- Backup work follows the partitions of rewind.servers (keyed by server id) in backup-service's consumer group:
-- an instance runs the queued backups of the servers whose partition it holds. The partition is recorded from the
-- event; servers projected before this column existed get it computed at the next assignment.
alter table server add column kafka_partition int;
create index server_kafka_partition on server (kafka_partition);
