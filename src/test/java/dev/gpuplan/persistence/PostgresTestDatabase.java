package dev.gpuplan.persistence;

import java.util.Map;

import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

/**
 * In the PostgreSQL test run ({@code -Dquarkus.test.profile=pgtest}), makes sure the project's own role
 * ({@code gpuplan}, password {@code gpuplan}) and test database ({@code gpuplan_test}) exist before Quarkus
 * starts, so the suite needs no manual set-up: on the machine's PostgreSQL at 127.0.0.1:5432 when it answers,
 * else on an embedded PostgreSQL ({@link TestPostgres}). Does nothing in the default (H2) run.
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
        TestPostgres.Server server = TestPostgres.server();
        String url = TestPostgres.database(DATABASE, false);
        if (!server.embedded()) {
            return Map.of(); // application.properties' %pgtest keys name this server, role and database
        }
        return Map.of("quarkus.datasource.jdbc.url", url, "quarkus.datasource.username", server.user(),
                "quarkus.datasource.password", server.password());
    }

    @Override
    public void stop() {
        // The database is kept; Flyway cleans it at the start of the next run.
    }
}
