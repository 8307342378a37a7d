create table widget (
    id          uuid primary key,
    owner_key   varchar(100) not null,
    seq         int not null
);

-- what the consumer did for each event it handled, in the order it handled them
create table widget_effect (
    id          bigserial primary key,
    event_id    varchar(100) not null,
    owner_key   varchar(100) not null,
    seq         int not null
);
