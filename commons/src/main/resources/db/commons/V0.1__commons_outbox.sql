-- Transactional outbox (commons): events written in the same transaction as the change they describe.
-- The relay publishes rows in id order and deletes them once Kafka has acknowledged them.
create table outbox_event (
    id            bigserial    primary key,
    event_id      uuid         not null unique,
    topic         varchar(200) not null,
    record_key    varchar(200) not null,
    event_type    varchar(200) not null,
    source        varchar(200) not null,
    subject       varchar(200) not null,
    tenant        varchar(100),
    payload       text         not null,
    occurred_at   timestamptz  not null default now()
);

-- Idempotent consumption (commons): an event id a consumer has handled once has no second effect.
create table processed_event (
    consumer      varchar(200) not null,
    event_id      varchar(200) not null,
    processed_at  timestamptz  not null default now(),
    primary key (consumer, event_id)
);
