package dev.rewind.commons.rest;

import jakarta.ws.rs.core.UriInfo;
import java.net.URI;
import java.util.List;
import java.util.function.Function;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * One page of a list that is bounded per request: the repository reads {@code limit + 1} items after the cursor;
 * when the extra one is there, the page ends at {@code limit} and carries the next page's cursor in
 * {@link PageCursor#HEADER} and a {@code Link: <...?cursor=...>; rel="next"} with the request's other parameters
 * kept. No header: this was the last page. The body stays the JSON array the list always was.
 */
public final class Pages {

    private Pages() {
    }

    public static <T, V> RestResponse<List<V>> of(List<T> readOneMore, int limit, Function<T, PageCursor> cursorOf,
            Function<T, V> view, UriInfo uri) {
        boolean more = readOneMore.size() > limit;
        List<T> page = more ? readOneMore.subList(0, limit) : readOneMore;
        RestResponse.ResponseBuilder<List<V>> response = RestResponse.ResponseBuilder.ok(page.stream().map(view).toList());
        if (more) {
            String next = cursorOf.apply(page.get(page.size() - 1)).encode();
            URI nextPage = uri.getRequestUriBuilder().replaceQueryParam("cursor", next).build();
            response.header(PageCursor.HEADER, next)
                    .header("Link", "<" + nextPage.getRawPath() + "?" + nextPage.getRawQuery() + ">; rel=\"next\"");
        }
        return response.build();
    }
}
