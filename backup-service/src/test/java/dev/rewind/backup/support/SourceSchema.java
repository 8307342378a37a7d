package dev.rewind.backup.support;

import dev.rewind.testing.LocalStack;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A schema of the test's own ({@code bk_<random>}) on a local source server, created through the mariadb client
 * as root and dropped afterwards. Never touches {@code shop}.
 */
public final class SourceSchema implements AutoCloseable {

    public final int port;
    public final String name;

    private SourceSchema(int port, String name) {
        this.port = port;
        this.name = name;
    }

    /** A schema with three tables (one empty) and some rows, including strings with newlines and quotes. */
    public static SourceSchema withSampleData(int port) {
        SourceSchema schema = new SourceSchema(port, "bk_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12));
        schema.sql("create database " + schema.name + ";"
                + "use " + schema.name + ";"
                + "create table customers (id int primary key, name varchar(100), note text);"
                + "create table orders (id bigint auto_increment primary key, customer_id int, amount decimal(10,2), created_at datetime);"
                + "create table empty_one (id int primary key);"
                + "insert into customers values (1, 'Ada', 'line one\\nline two'), (2, 'Bob', 'it''s (quoted)'), (3, 'Cy', null);"
                + "insert into orders (customer_id, amount, created_at) select 1 + (seq % 3), seq * 1.5, '2026-01-01 00:00:00' from seq_1_to_250;"
                .replace("from seq_1_to_250", port == mariadbPort() ? "from seq_1_to_250" : "from (with recursive s(seq) as (select 1 union all select seq + 1 from s where seq < 250) select seq from s) t"));
        return schema;
    }

    static int mariadbPort() {
        return Integer.parseInt(LocalStack.env("REWIND_MARIADB_PORT"));
    }

    /** Row count of each table, as the source has it now. */
    public Map<String, Long> rowCounts() {
        return rowCounts(name);
    }

    public Map<String, Long> rowCounts(String database) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (String table : List.of("customers", "empty_one", "orders")) {
            counts.put(table, Long.parseLong(sql("select count(*) from " + database + "." + table).strip()));
        }
        return counts;
    }

    public String sql(String statements) {
        return run(port, statements);
    }

    public static String run(int port, String statements) {
        try {
            ProcessBuilder builder = new ProcessBuilder("mariadb", "-h", "127.0.0.1", "-P", Integer.toString(port), "-u", "root",
                    "-N", "-B", "-e", statements).redirectErrorStream(true);
            builder.environment().put("MYSQL_PWD", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"));
            Process process = builder.start();
            String output = new String(process.getInputStream().readAllBytes());
            if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("mariadb client failed on port " + port + ": " + output);
            }
            return output;
        } catch (IOException e) {
            throw new IllegalStateException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() {
        sql("drop database if exists " + name);
    }
}
