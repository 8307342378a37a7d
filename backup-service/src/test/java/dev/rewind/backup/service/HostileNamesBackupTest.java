package dev.rewind.backup.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Database names are the tenant's: {@code ../../tmp/x} and {@code --version} are valid MySQL names. A backup of the
 * whole server (the only way such names reach the tools) must neither write outside its job's folder nor read a name
 * as a tool's option.
 */
@QuarkusTest
class HostileNamesBackupTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @ParameterizedTest
    @CsvSource({"mariadb,mydumper", "mariadb,mysqldump", "mysql8,mysqldump"})
    void aDatabaseNamedLikeAnOptionIsBackedUpAndVerifiedAsAnyOther(String kind, String tool) throws Exception {
        int port = port(kind);
        String option = "--version";
        try {
            SourceSchema.run(port, "drop database if exists `" + option + "`; create database `" + option + "`;"
                    + "create table `" + option + "`.t (id int primary key, v varchar(20)); insert into `" + option + "`.t values (7, 'seven')");
            JsonPath entry = wholeServerBackup(kind, tool, true);
            assertEquals("completed", entry.getString("status"), () -> "error: " + entry.getString("error_message"));
            assertThat(entry.getString("verification.reason"), entry.getString("verification.status"), is("passed"));
            assertThat(entry.getList("verification.checks.findAll { it.table == '" + option + ".t' }.status"),
                    contains("passed", "passed"));
            String file = tool.equals("mysqldump") ? option + ".sql.gz" : option + ".t.sql.gz";
            assertThat(S3Objects.gunzipped(S3Objects.keyOf(entry.getString("s3_path")) + file), containsString("seven"));
        } finally {
            SourceSchema.run(port, "drop database if exists `" + option + "`");
        }
    }

    @ParameterizedTest
    @CsvSource({"mariadb,mydumper", "mariadb,mysqldump", "mysql8,mydumper"})
    void aDatabaseNamedLikeAPathFailsTheBackupBeforeAnyToolWritesAFile(String kind, String tool) throws Exception {
        int port = port(kind);
        String marker = "bk_escape_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        String traversal = "../../../../../../tmp/" + marker;
        Path work = Path.of(ConfigProvider.getConfig().getValue("rewind.backup.worker.work-dir", String.class));
        try {
            SourceSchema.run(port, "create database `" + traversal + "`; create table `" + traversal + "`.t (id int primary key);"
                    + "insert into `" + traversal + "`.t values (1)");
            JsonPath entry = wholeServerBackup(kind, tool, false);
            assertEquals("failed", entry.getString("status"));
            assertThat(entry.getString("error_message"), allOf(containsString("`" + traversal + "`"), containsString("'/'")));
            try (var tmp = Files.list(Path.of("/tmp"))) {
                assertThat(tmp.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(marker)).toList(), empty());
            }
            assertThat(named(work.toAbsolutePath().getParent(), marker), empty());
        } finally {
            SourceSchema.run(port, "drop database if exists `" + traversal + "`");
        }
    }

    /** Paths under {@code root} whose name holds {@code marker}; what other processes remove meanwhile is passed over. */
    private static java.util.List<Path> named(Path root, String marker) throws java.io.IOException {
        java.util.List<Path> found = new java.util.ArrayList<>();
        Files.walkFileTree(root, new java.nio.file.SimpleFileVisitor<>() {
            @Override
            public java.nio.file.FileVisitResult preVisitDirectory(Path dir, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (dir.getFileName() != null && dir.getFileName().toString().contains(marker)) {
                    found.add(dir);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFile(Path file, java.nio.file.attribute.BasicFileAttributes attrs) {
                if (file.getFileName().toString().contains(marker)) {
                    found.add(file);
                }
                return java.nio.file.FileVisitResult.CONTINUE;
            }

            @Override
            public java.nio.file.FileVisitResult visitFileFailed(Path file, java.io.IOException e) {
                return java.nio.file.FileVisitResult.CONTINUE; // gone meanwhile, or unreadable: not written by the tools
            }
        });
        return found;
    }

    private static int port(String kind) {
        return Integer.parseInt(LocalStack.env(kind.equals("mariadb") ? "REWIND_MARIADB_PORT" : "REWIND_MYSQL8_PORT"));
    }

    /** A backup of every database of the server. */
    private static JsonPath wholeServerBackup(String kind, String tool, boolean verify) {
        UUID server = kind.equals("mariadb") ? TestServers.mariadb("acme") : TestServers.mysql8("acme");
        String id = given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"backup_tool\":\"%s\",\"verify\":%s}".formatted(server, tool, verify))
                .when().post("/backup")
                .then().statusCode(202).extract().path("backup_id");
        return Backups.awaitFinished(UUID.fromString(id), ADMIN);
    }
}
