package dev.rewind.backup.service;

import static io.restassured.RestAssured.given;
import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.*;

import dev.rewind.backup.support.Backups;
import dev.rewind.backup.support.S3Objects;
import dev.rewind.backup.support.SourceSchema;
import dev.rewind.backup.support.TestServers;
import dev.rewind.testing.LocalStack;
import dev.rewind.testing.Tokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * INVISIBLE columns, which {@code SELECT *} leaves out: mydumper 0.10 reads a table that way unless it has a generated
 * column, so its backup would restore every invisible value as the column's default. Such a backup fails, naming the
 * table and column and what to do; mysqldump backs the table up whole; a table whose generated column makes mydumper
 * name its columns is backed up with its invisible values.
 */
@QuarkusTest
class InvisibleColumnsBackupTest {

    static final String ADMIN = Tokens.user(Tokens.ACME_ADMIN);

    @ParameterizedTest
    @ValueSource(strings = {"mariadb", "mysql8"})
    void invisibleValuesAreBackedUpOrTheBackupFailsSayingWhy(String kind) throws Exception {
        boolean mariadb = kind.equals("mariadb");
        int port = Integer.parseInt(LocalStack.env(mariadb ? "REWIND_MARIADB_PORT" : "REWIND_MYSQL8_PORT"));
        UUID server = mariadb ? TestServers.mariadb("acme") : TestServers.mysql8("acme");
        String lossy = "bk_inv_" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        String listed = lossy + "_g";
        try {
            SourceSchema.run(port, "create database " + lossy + "; create table " + lossy + ".hidden (id int primary key,"
                    + " secret varchar(10) default 'default' invisible); insert into " + lossy + ".hidden (id, secret) values (1, 'kept');"
                    + "create database " + listed + "; create table " + listed + ".g (id int primary key, a int,"
                    + " twice int as (a * 2) virtual, secret varchar(10) default 'default' invisible);"
                    + " insert into " + listed + ".g (id, a, secret) values (1, 21, 'kept');");

            JsonPath refused = backup(server, lossy, "mydumper");
            assertThat(refused.getString("status"), is("failed"));
            assertThat(refused.getString("error_message"), allOf(containsString(lossy + ".hidden (secret)"),
                    containsString("INVISIBLE"), containsString("mysqldump")));

            JsonPath whole = backup(server, lossy, "mysqldump");
            assertThat(whole.getString("error_message"), whole.getString("status"), is("completed"));
            String sql = S3Objects.gunzipped(S3Objects.keyOf(whole.getString("s3_path")) + lossy + ".sql.gz");
            assertThat(sql, containsString("'kept'"));

            JsonPath named = backup(server, listed, "mydumper");
            assertThat(named.getString("error_message"), named.getString("status"), is("completed"));
            String data = S3Objects.gunzipped(S3Objects.keyOf(named.getString("s3_path")) + listed + ".g.sql.gz");
            assertThat(data, allOf(containsString("`secret`"), containsString("\"kept\""), not(containsString("`twice`"))));
        } finally {
            SourceSchema.run(port, "drop database if exists " + lossy + "; drop database if exists " + listed);
        }
    }

    private static JsonPath backup(UUID server, String database, String tool) {
        String id = given().auth().oauth2(ADMIN).contentType("application/json")
                .body("{\"server_id\":\"%s\",\"databases\":[\"%s\"],\"backup_tool\":\"%s\",\"verify\":false}".formatted(server, database, tool))
                .when().post("/backup")
                .then().statusCode(202).extract().path("backup_id");
        return Backups.awaitFinished(UUID.fromString(id), ADMIN);
    }
}
