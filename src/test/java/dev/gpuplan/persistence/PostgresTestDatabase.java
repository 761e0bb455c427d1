package dev.gpuplan.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * In the PostgreSQL test run ({@code -Dquarkus.test.profile=pgtest}), makes sure the project's own role
 * ({@code gpuplan}, password {@code gpuplan}) and test database ({@code gpuplan_test}) exist on the server
 * before Quarkus starts, so the suite needs no manual set-up. The role is created through the server's local
 * peer authentication ({@code runuser -u postgres -- psql}) when it cannot log in yet, which works as root on
 * the project's machines whether the server trusts local TCP logins or asks for passwords. Does nothing in
 * the default (H2) run.
 */
@QuarkusTestResource(value = PostgresTestDatabase.class, restrictToAnnotatedClass = false)
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    /** The test database; GPUPLAN_TEST_DB_NAME gives each checkout of the repository its own when several run at once. */
    public static final String DATABASE = System.getenv().getOrDefault("GPUPLAN_TEST_DB_NAME", "gpuplan_test");

    @Override
    public Map<String, String> start() {
        if (!"pgtest".equals(System.getProperty("quarkus.test.profile"))) {
            return Map.of();
        }
        String server = System.getenv().getOrDefault("GPUPLAN_TEST_PG_SERVER", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getenv().getOrDefault("GPUPLAN_TEST_DB_USER", "gpuplan");
        String password = System.getenv().getOrDefault("GPUPLAN_TEST_DB_PASSWORD", "gpuplan");
        try (Connection connection = connect(server, user, password)) {
            boolean exists;
            try (var statement = connection.prepareStatement("SELECT 1 FROM pg_database WHERE datname = ?")) {
                statement.setString(1, DATABASE);
                exists = statement.executeQuery().next();
            }
            if (!exists) {
                try (var statement = connection.createStatement()) {
                    statement.execute("CREATE DATABASE " + DATABASE);
                }
            }
        } catch (SQLException e) {
            throw new IllegalStateException("The PostgreSQL test run needs a PostgreSQL server at " + server
                    + " (start it, or set GPUPLAN_TEST_PG_SERVER): " + e.getMessage(), e);
        }
        return Map.of();
    }

    private static Connection connect(String server, String user, String password) throws SQLException {
        try {
            return DriverManager.getConnection(server, user, password);
        } catch (SQLException first) {
            if (!createRoleLocally(user, password)) {
                throw first;
            }
            return DriverManager.getConnection(server, user, password);
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
        } catch (java.io.IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    @Override
    public void stop() {
        // The database is kept; Flyway cleans it at the start of the next run.
    }
}
