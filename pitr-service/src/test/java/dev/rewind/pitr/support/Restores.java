package dev.rewind.pitr.support;

import static org.hamcrest.MatcherAssert.assertThat;
import static org.hamcrest.Matchers.is;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rewind.pitr.run.PitrStorage;
import dev.rewind.testing.LocalStack;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a user does with a PITR output: download it, check it against its manifest, restore it with myloader, read it. */
public final class Restores {

    private static final ObjectMapper JSON = new ObjectMapper();

    private Restores() {
    }

    /** Downloads every object under the prefix into a new folder and checks each against manifest.json. */
    public static Path download(PitrStorage storage, String prefix) throws Exception {
        Path dir = Files.createTempDirectory("pitr-output-");
        for (S3Object o : storage.list(prefix)) {
            try (InputStream in = storage.open(o.key())) {
                Files.copy(in, dir.resolve(o.key().substring(prefix.length())));
            }
        }
        JsonNode manifest = JSON.readTree(dir.resolve("manifest.json").toFile());
        int listed = 0;
        for (JsonNode f : manifest.get("files")) {
            Path file = dir.resolve(f.get("name").asText());
            assertThat("size of " + file, Files.size(file), is(f.get("size_bytes").asLong()));
            String sha = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
            assertThat("sha256 of " + file, sha, is(f.get("sha256").asText()));
            listed++;
        }
        try (var files = Files.list(dir)) {
            assertThat("every file but the manifest is listed in it", files.count(), is((long) listed + 1));
        }
        return dir;
    }

    /** myloader restores the dump's {@code sourceSchema} into {@code targetSchema} (which must not exist). */
    public static void myloader(Sources source, Path dump, String sourceSchema, String targetSchema) throws Exception {
        Process p = new ProcessBuilder("myloader", "--host", source.host(), "--port", Integer.toString(source.port()), "--user",
                "root", "--password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"), "--directory", dump.toString(),
                "--source-db", sourceSchema, "--database", targetSchema, "--threads", "2")
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("CRITICAL")) {
            throw new IllegalStateException("myloader failed: " + output);
        }
    }

    /**
     * Every row of a table, each as its columns' text joined by '|', in the order of all columns (invisible ones
     * too, which {@code SELECT *} leaves out).
     */
    public static List<String> rows(Connection c, String schema, String table) throws Exception {
        List<String> columns = new ArrayList<>();
        try (var ps = c.prepareStatement("select column_name from information_schema.columns where table_schema = ? "
                + "and table_name = ? order by ordinal_position")) {
            ps.setString(1, schema);
            ps.setString(2, table);
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    columns.add("`" + rs.getString(1).replace("`", "``") + "`");
                }
            }
        }
        if (columns.isEmpty()) {
            throw new IllegalStateException("no table " + schema + "." + table);
        }
        List<String> rows = new ArrayList<>();
        try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("select " + String.join(",", columns)
                + " from `" + schema + "`.`" + table + "`")) {
            int n = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                StringBuilder row = new StringBuilder();
                for (int i = 1; i <= n; i++) {
                    row.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                rows.add(row.toString());
            }
        }
        rows.sort(null);
        return rows;
    }
}
