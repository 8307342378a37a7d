create table server (
    id                 uuid         primary key,
    tenant             varchar(100) not null,
    name               varchar(100) not null,
    host               varchar(255) not null,
    port               int          not null check (port between 1 and 65535),
    username           varchar(100) not null,
    -- AES-256-GCM: 12-byte nonce followed by ciphertext and tag, base64; never returned by the API
    password_cipher    text         not null,
    connection_method  varchar(20)  not null check (connection_method in ('direct', 'ssh_tunnel', 'vpn')),
    ssh_jump_host      varchar(255),
    ssh_jump_port      int          check (ssh_jump_port between 1 and 65535),
    ssh_jump_user      varchar(100),
    status             varchar(20)  not null check (status in ('onboarding', 'active', 'error', 'decommissioned')),
    onboarding_step    varchar(30),
    created_at         timestamptz  not null,
    updated_at         timestamptz  not null,
    decommissioned_at  timestamptz,
    check (connection_method <> 'ssh_tunnel' or (ssh_jump_host is not null and ssh_jump_port is not null and ssh_jump_user is not null))
);

-- a name is unique among a tenant's servers that are not decommissioned
create unique index server_tenant_name on server (tenant, lower(name)) where status <> 'decommissioned';
create index server_tenant_created on server (tenant, created_at desc);
