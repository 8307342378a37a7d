-- The config hash an agent must report is split in two: the agent's own part (its schedules, agent.desired_config_hash)
-- and the tenant-wide part (targets and alert channels, here), so a tenant-wide change updates one row, not one per agent.
-- The hash agents see is sha256(agent part || ':' || tenant part), computed by the heartbeat and config queries alike.
create table tenant_config (
    tenant       varchar(100) primary key,
    config_hash  char(64)     not null,
    updated_at   timestamptz  not null default now()
);
