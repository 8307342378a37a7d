-- Restore verification: whether a backup is to be verified, what kind of server it came from, the outcome and
-- every check (row counts and table schemas of the restore compared with the source at dump time).
alter table backup
    add column verify               boolean      not null default false,
    add column source_kind          varchar(20)  check (source_kind in ('mariadb', 'mysql')),
    add column source_version       varchar(100),
    add column verification_status  varchar(20)  check (verification_status in ('passed', 'failed', 'skipped', 'error')),
    add column verification_note    text;

alter table backup_schedule
    add column verify boolean not null default true;

create table backup_check (
    id          uuid         primary key,
    backup_id   uuid         not null references backup (id) on delete cascade,
    position    int          not null,
    name        varchar(20)  not null check (name in ('row_count', 'schema_match')),
    table_name  varchar(200) not null,
    status      varchar(10)  not null check (status in ('passed', 'failed')),
    expected    text,
    actual      text
);

create index backup_check_backup on backup_check (backup_id, position);
