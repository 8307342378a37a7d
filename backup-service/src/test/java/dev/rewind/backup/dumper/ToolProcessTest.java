package dev.rewind.backup.dumper;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a tool gets from us: an environment without our secrets, a defaults file nothing can add options to. */
class ToolProcessTest {

    @TempDir
    Path job;

    @Test
    void aToolSeesNoneOfTheServicesEnvironment() throws Exception {
        Path log = job.resolve("env.log");
        assertEquals(0, ToolProcess.run(List.of("env"), log, null, Duration.ofSeconds(10)));
        Set<String> names = Files.readAllLines(log).stream().map(l -> l.split("=", 2)[0]).collect(Collectors.toSet());
        assertThat(names, everyItem(is(in(Set.of("PATH", "LANG", "LC_ALL", "HOME", "TMPDIR")))));
        assertThat(Files.readAllLines(log), hasItems("HOME=" + job.toAbsolutePath(), "TMPDIR=" + job.toAbsolutePath()));
        assertThat(System.getenv().keySet(), hasItem("PATH")); // the service's own environment is untouched
    }

    @Test
    void aPasswordWithALineBreakOrNulIsRefusedAndNoFileIsLeft() {
        for (String password : List.of("pw\nplugin-dir=/tmp/evil", "pw\rx", "pw\0x")) {
            assertThrows(IllegalArgumentException.class, () -> ToolProcess.writeDefaults(password, job, "client.cnf"));
            assertThat(Files.exists(job.resolve("client.cnf")), is(false));
        }
        assertThrows(IllegalArgumentException.class,
                () -> ToolProcess.run(List.of("echo", "db\n--plugin-dir=/tmp"), job.resolve("x.log"), null, Duration.ofSeconds(5)));
    }

    @Test
    void theDefaultsFileQuotesThePasswordAndTurnsLocalInfileOff() throws Exception {
        Path file = ToolProcess.writeDefaults("a\"b\\c#d", job, "client.cnf");
        assertEquals(List.of("[client]", "password=\"a\\\"b\\\\c#d\"", "loose-local-infile=0"), Files.readAllLines(file));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    }

    @Test
    void namesFromTheSourceStayInsideTheJobsFolder() {
        assertEquals(job.toAbsolutePath().resolve("--version.sql"), JobPaths.inside(job, "--version.sql"));
        for (String name : List.of("../x.sql", "../../tmp/x.sql", "/etc/passwd", "a/b.sql", "..", ".", "")) {
            assertThrows(DumpFailed.class, () -> JobPaths.inside(job, name), name);
        }
        assertThat(Arrays.asList(DumpNames.schemaProblem("../../tmp/x"), DumpNames.schemaProblem("a.b"),
                DumpNames.tableProblem("t/../u")), everyItem(notNullValue()));
        assertEquals("it holds a '/'", DumpNames.schemaProblem("../../tmp/x"));
        assertEquals("it holds a NUL character", DumpNames.tableProblem("t\0"));
        assertEquals("it is empty", DumpNames.tableProblem(""));
        assertThat(Arrays.asList(DumpNames.schemaProblem("--version"), DumpNames.tableProblem("--help"),
                DumpNames.tableProblem("a.b")), everyItem(nullValue()));
    }
}
