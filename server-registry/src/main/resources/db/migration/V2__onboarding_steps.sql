-- The onboarding saga: one row per step a server has reached, as pitr-service reports it (onboarding.step)
-- or as server-registry completes it itself (awaiting_firewall). A step without a row is pending.
create table onboarding_step (
    id            uuid         primary key,
    server_id     uuid         not null references server (id),
    step          varchar(30)  not null check (step in ('provisioning', 'awaiting_firewall', 'waiting_for_agent',
                                                        'initializing', 'snapshotting', 'streaming')),
    status        varchar(20)  not null check (status in ('started', 'completed', 'failed')),
    attempt       int          not null check (attempt >= 1),
    started_at    timestamptz,
    completed_at  timestamptz,
    failed_at     timestamptz,
    error         text,
    -- the pitr-service instance that reported it; 'server-registry' for a step completed here
    instance      varchar(200),
    updated_at    timestamptz  not null,
    unique (server_id, step)
);

-- ssh_tunnel servers: the customer confirmed that Rewind's outbound IP is whitelisted on the jump host.
-- Reset when onboarding restarts (a changed host, port or credential).
alter table server add column firewall_confirmed boolean not null default false;
