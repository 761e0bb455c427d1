package dev.gpuplan.persistence;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * In the PostgreSQL test run ({@code -Dquarkus.test.profile=pgtest}), makes sure the project's own test
 * database exists on the server before Quarkus starts, so the suite needs no manual set-up. Does nothing
 * in the default (H2) run.
 */
@QuarkusTestResource(value = PostgresTestDatabase.class, restrictToAnnotatedClass = false)
public class PostgresTestDatabase implements QuarkusTestResourceLifecycleManager {

    public static final String DATABASE = "gpuplan_test";

    @Override
    public Map<String, String> start() {
        if (!"pgtest".equals(System.getProperty("quarkus.test.profile"))) {
            return Map.of();
        }
        String server = System.getenv().getOrDefault("GPUPLAN_TEST_PG_SERVER", "jdbc:postgresql://127.0.0.1:5432/postgres");
        String user = System.getenv().getOrDefault("GPUPLAN_TEST_DB_USER", "postgres");
        String password = System.getenv().getOrDefault("GPUPLAN_TEST_DB_PASSWORD", "");
        try (Connection connection = DriverManager.getConnection(server, user, password)) {
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

    @Override
    public void stop() {
        // The database is kept; Flyway cleans it at the start of the next run.
    }
}
