package dev.rewind.agent.service;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.agent.rest.AgentMessages.DiscoveredDatabase;
import dev.rewind.agent.rest.AgentMessages.HeartbeatRequest;
import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowIterator;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.UUID;

/**
 * Heartbeats: the hot path of the agent API (every agent, every few seconds), so one SQL statement does all of
 * it — records status, version and reported config hash, and only when the reported databases differ from the
 * last report upserts them into agent_database (marking vanished ones not present) — and answers whether the
 * agent's configuration changed. Its commit does not wait for the WAL flush ({@code synchronous_commit = off} for
 * this transaction only): a database crash may forget the last fraction of a second of heartbeats, which the next
 * heartbeat restores, and nothing else is written this way.
 */
@ApplicationScoped
public class HeartbeatService {

    private static final String HEARTBEAT = """
            with relaxed as (
                select set_config('synchronous_commit', 'off', true) as setting
            ), previous as (
                select id, discovered_databases from agent where id = $1 and revoked_at is null for update
            ), updated as (
                update agent a
                   set status = $2, agent_version = coalesce($3, a.agent_version), config_hash = $4,
                       discovered_databases = coalesce($5, a.discovered_databases), last_heartbeat_at = now()
                  from previous p
                 where a.id = p.id
                returning a.id, a.tenant, a.desired_config_hash,
                          p.discovered_databases is distinct from a.discovered_databases as databases_changed
            ), reported as (
                select d.* from updated u,
                       jsonb_to_recordset(coalesce($5, '[]')::jsonb)
                           as d("dbType" text, "dbVersion" text, host text, port text, "databaseName" text)
                 where u.databases_changed
            ), upserted as (
                insert into agent_database (id, tenant, agent_id, db_type, db_version, host, port, database_name,
                                            present, first_seen_at, last_seen_at)
                select gen_random_uuid(), u.tenant, u.id, r."dbType", r."dbVersion", r.host, r.port, r."databaseName",
                       true, now(), now()
                  from reported r, updated u
                on conflict (agent_id, db_type, host, port, database_name)
                do update set db_version = excluded.db_version, present = true, last_seen_at = now()
            ), vanished as (
                update agent_database d set present = false
                  from updated u
                 where u.databases_changed and d.agent_id = u.id and d.present
                   and not exists (select 1 from reported r
                                    where r."dbType" = d.db_type and r.host = d.host and r.port = d.port
                                      and r."databaseName" = d.database_name)
            )
            select %s as config_hash
              from updated a left join tenant_config t on t.tenant = a.tenant, relaxed""".formatted(AgentConfigService.CONFIG_HASH);

    private final Pool pool;
    private final ObjectMapper json;

    public HeartbeatService(Pool pool, ObjectMapper json) {
        this.pool = pool;
        this.json = json;
    }

    /** Records the heartbeat; true when the agent's configuration is not the one it reports (configChanged). */
    public Uni<Boolean> heartbeat(UUID agentId, HeartbeatRequest request) {
        String databases = request.discoveredDatabases() == null ? null : toJson(request.discoveredDatabases());
        Tuple params = Tuple.tuple(Arrays.asList(agentId, request.status(), request.agentVersion(), request.configHash(), databases));
        return pool.preparedQuery(HEARTBEAT).execute(params).map(rows -> {
            RowIterator<Row> row = rows.iterator();
            if (!row.hasNext()) {
                throw new ProblemException(new Problem("Unauthorized", 401, "The agent's API key was revoked"));
            }
            String desired = row.next().getString("config_hash");
            return request.configHash() == null || !desired.equals(request.configHash().trim());
        });
    }

    private String toJson(List<DiscoveredDatabase> reported) {
        try {
            // one entry per database, in the agent's order: the same report always gives the same text
            return json.writeValueAsString(new ArrayList<>(new LinkedHashSet<>(reported)));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("discovered databases are not serializable", e);
        }
    }
}
