-- A backup agent registered by a tenant's host. Its API key is kept only as a SHA-256 hash.
create table agent (
    id                    uuid         primary key,
    tenant                varchar(100) not null,
    hostname              varchar(255) not null,
    os                    varchar(50),
    arch                  varchar(50),
    agent_version         varchar(50),
    api_key_hash          char(64)     not null unique,
    status                varchar(20)  not null default 'registered',
    config_hash           varchar(128),
    discovered_databases  text         not null default '[]',
    last_heartbeat_at     timestamptz,
    revoked_at            timestamptz,
    created_at            timestamptz  not null
);

create index agent_tenant_created on agent (tenant, created_at, id);
