package dev.rewind.pitr.rest;

import dev.rewind.commons.problem.Problem;
import dev.rewind.commons.problem.ProblemException;
import dev.rewind.commons.rest.PathIds;
import dev.rewind.commons.rest.QueryParams;
import dev.rewind.commons.tenant.CallerTenant;
import dev.rewind.pitr.repository.IndexRepository;
import dev.rewind.pitr.service.CoverageService;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.security.PermissionsAllowed;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Set;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** Row history: the indexed changes of a server, newest first, with their before and after images. */
@Path("/servers/{serverId}/events")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Row history")
public class RowEventResource {

    static final Set<String> OPS = Set.of("insert", "update", "delete");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final CoverageService service;
    private final CallerTenant tenant;

    public RowEventResource(CoverageService service, CallerTenant tenant) {
        this.service = service;
        this.tenant = tenant;
    }

    /**
     * @param pk the primary key: a JSON object of its columns ({@code {"id":42}}), or the value of a one-column key
     */
    @GET
    @PermissionsAllowed("backup:create")
    public Uni<List<RowEventView>> events(@PathParam("serverId") String serverId, @QueryParam("schema") String schema,
            @QueryParam("table") String table, @QueryParam("pk") String pk, @QueryParam("since") String since,
            @QueryParam("until") String until, @QueryParam("gtid") String gtid, @QueryParam("op") String op,
            @QueryParam("limit") String limit) {
        String caller = tenant.id();
        OffsetDateTime from = QueryParams.time("since", since);
        OffsetDateTime to = QueryParams.time("until", until);
        QueryParams.range(from, to);
        String pkJson = null;
        String pkValue = null;
        if (pk != null && !pk.isBlank()) {
            String text = pk.trim();
            if (text.startsWith("{")) {
                pkJson = jsonObject(text);
            } else {
                pkValue = text;
            }
        }
        from = bounded(blankToNull(schema), blankToNull(table), from, to);
        IndexRepository.EventQuery query = new IndexRepository.EventQuery(PathIds.uuid(serverId, "server"), blankToNull(schema),
                blankToNull(table), pkJson, pkValue, from, to, blankToNull(gtid), QueryParams.oneOf("op", op, OPS),
                QueryParams.limit(limit, 50, 1000));
        return service.events(caller, query).map(rows -> rows.stream().map(RowEventView::of).toList());
    }

    private static String jsonObject(String text) {
        try {
            JsonNode node = JSON.readTree(text);
            if (node != null && node.isObject()) {
                return node.toString();
            }
        } catch (Exception e) {
            // reported below
        }
        String message = "must be a JSON object of the key's columns, or the value of a one-column key";
        throw ProblemException.invalid("Query parameter 'pk' " + message, List.of(new Problem.FieldError("pk", message)));
    }

    /** Without its table, a search covers at most this much time (and a day unless since says otherwise). */
    static final java.time.Duration WITHOUT_TABLE = java.time.Duration.ofDays(31);

    /**
     * A search that does not name its table ({@code schema} and {@code table}) has no index to lead it to the rows a
     * key, a GTID or an operation picks, so it is kept to a window of time (by default the day before {@code until},
     * or before now; at most {@link #WITHOUT_TABLE}): no request scans a server's whole index.
     *
     * @return the {@code since} to use
     */
    private static OffsetDateTime bounded(String schema, String table, OffsetDateTime from, OffsetDateTime to) {
        if (schema != null && table != null) {
            return from;
        }
        OffsetDateTime end = to != null ? to : OffsetDateTime.now(java.time.ZoneOffset.UTC);
        if (from == null) {
            return end.minusDays(1);
        }
        if (from.plus(WITHOUT_TABLE).isBefore(end)) {
            String message = "without schema and table, since and until (default now) may be at most 31 days apart";
            throw ProblemException.invalid("Query parameter 'since' " + message, List.of(new Problem.FieldError("since", message)));
        }
        return from;
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.trim();
    }
}
