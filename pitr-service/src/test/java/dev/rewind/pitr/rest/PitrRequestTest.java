package dev.rewind.pitr.rest;

import static org.junit.jupiter.api.Assertions.*;

import dev.rewind.commons.problem.ProblemException;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** The tables of one PITR run are bounded: a request cannot make us plan and rebuild an unbounded list. */
class PitrRequestTest {

    static PitrRequest tables(String tables) {
        return new PitrRequest("2026-04-10T14:30:00Z", tables, null, null, null, null);
    }

    static String names(int n) {
        return IntStream.range(0, n).mapToObj(i -> "shop.t" + i).collect(Collectors.joining(","));
    }

    @Test
    void upToAThousandTablesAreOneRun() {
        assertEquals(PitrRequest.MAX_TABLES, PitrRequest.check(tables(names(PitrRequest.MAX_TABLES))).tables().size());
        assertEquals(1, PitrRequest.check(tables("shop.a,shop.a")).tables().size(), "a name given twice is one table");
    }

    @Test
    void moreTablesOrALongerListIsRefusedNamingTheField() {
        ProblemException many = assertThrows(ProblemException.class, () -> PitrRequest.check(tables(names(PitrRequest.MAX_TABLES + 1))));
        assertEquals(400, many.problem().status());
        assertEquals("tables", many.problem().errors().get(0).field());
        assertTrue(many.problem().errors().get(0).message().contains("at most 1000"), many.problem().errors().get(0).message());
        ProblemException huge = assertThrows(ProblemException.class,
                () -> PitrRequest.check(tables("shop.t," + "x".repeat(PitrRequest.MAX_TABLES_CHARS))));
        assertTrue(huge.problem().errors().get(0).message().contains("longer than"));
    }
}
