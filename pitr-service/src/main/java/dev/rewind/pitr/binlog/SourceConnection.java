package dev.rewind.pitr.binlog;

/** How to reach a source server. The password is never printed. */
public record SourceConnection(String host, int port, String username, String password) {

    public String jdbcUrl() {
        // the MariaDB driver speaks to MySQL 8 as well; no SSL on the local stack, short timeouts so failures surface
        // never let a source read local files of ours (LOAD DATA LOCAL requests)
        return "jdbc:mariadb://" + (host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port
                + "/?connectTimeout=10000&socketTimeout=60000&permitMysqlScheme&allowLocalInfile=false";
    }

    @Override
    public String toString() {
        return username + "@" + host + ":" + port;
    }
}
