package dev.rewind.source;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Properties;

/**
 * The one JDBC connect to a source or verification server (MariaDB Connector/J speaks to MariaDB and MySQL 8 alike):
 * the endpoint's TLS settings, LOAD DATA LOCAL refused (the server is the tenant's, our files are not), the server's
 * RSA key only over TLS, bounded connect and read times. Blocking: call it on a worker thread.
 */
public final class SourceJdbc {

    private SourceJdbc() {
    }

    /** Connects with no default schema. */
    public static Connection connect(SourceEndpoint endpoint, Duration connectTimeout, Duration socketTimeout) throws SQLException {
        Connection connection = new org.mariadb.jdbc.Driver().connect(url(endpoint), properties(endpoint, connectTimeout, socketTimeout));
        if (connection == null) {
            throw new SQLException("the driver did not accept the address " + endpoint.display());
        }
        return connection;
    }

    static String url(SourceEndpoint endpoint) {
        return "jdbc:mariadb://" + SourceEndpoint.bracketed(endpoint.connectHost()) + ":" + endpoint.port() + "/";
    }

    static Properties properties(SourceEndpoint endpoint, Duration connectTimeout, Duration socketTimeout) {
        Properties props = new Properties();
        props.setProperty("user", endpoint.username());
        props.setProperty("password", endpoint.password());
        props.setProperty("connectTimeout", Long.toString(Math.max(1, connectTimeout.toMillis())));
        props.setProperty("socketTimeout", Long.toString(Math.max(1, socketTimeout.toMillis())));
        props.setProperty("allowLocalInfile", "false");
        props.setProperty("permitMysqlScheme", "true");
        endpoint.tls().applyTo(props);
        return props;
    }
}
