package dev.gpuplan.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.gpuplan.persistence.TestPostgres;

/**
 * Real service processes (the packaged jar, built with the pg profile) on one PostgreSQL database of their own,
 * each on a free loopback port: what the replica harness and the load benchmark start, call and query.
 */
final class ReplicaCluster implements AutoCloseable {

    static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");

    /** One service process. */
    record Replica(String name, int port, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final Map<String, Replica> replicas = new LinkedHashMap<>();
    private final TestPostgres.Server server;
    private final String dbUrl;
    private final Path data;
    private final Duration lease;
    private final Map<String, String> settings;
    private String token;

    /**
     * A fresh database named after the test database plus {@code suffix}, a fresh data directory under target/,
     * and the service settings every replica gets (environment variables) on top of the harness's own.
     */
    ReplicaCluster(String suffix, Duration lease, Map<String, String> settings) throws IOException {
        assertThat(JAR).as("the packaged jar (./mvnw -B -Preplicas verify builds it with the pg profile)").exists();
        this.server = TestPostgres.server();
        this.dbUrl = TestPostgres.database(System.getenv().getOrDefault("GPUPLAN_TEST_DB_NAME", "gpuplan_test") + "_" + suffix, true);
        this.data = Path.of("target", "replica-data-" + suffix);
        this.lease = lease;
        this.settings = Map.copyOf(settings);
        deleteRecursively(data);
    }

    Duration lease() {
        return lease;
    }

    Replica replica(String name) {
        return replicas.get(name);
    }

    Collection<Replica> all() {
        return List.copyOf(replicas.values());
    }

    /** Starts a replica named {@code name} (its GPUPLAN_REPLICA_ID) on a free port; its output goes to target/replica-NAME.log. */
    void start(String name) throws IOException {
        int port;
        try (ServerSocket socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx384m", "-XX:+UseSerialGC", "-jar", JAR.toAbsolutePath().toString(), "serve");
        Map<String, String> env = builder.environment();
        env.put("QUARKUS_PROFILE", "pg");
        env.put("GPUPLAN_PORT", String.valueOf(port));
        env.put("GPUPLAN_DB_URL", dbUrl);
        env.put("GPUPLAN_DB_USER", server.user());
        env.put("GPUPLAN_DB_PASSWORD", server.password());
        env.put("GPUPLAN_REPLICA_ID", name);
        env.put("GPUPLAN_DATA_DIR", data.toAbsolutePath().toString());
        env.put("GPUPLAN_SOLVER_LEASE", lease.toSeconds() + "s");
        env.put("GPUPLAN_SOLVER_HEARTBEAT", "1s");
        env.put("GPUPLAN_QUEUE_POLL", "500ms");
        env.put("GPUPLAN_SOLVER_SAVE_INTERVAL", "500ms");
        env.put("GPUPLAN_PARALLEL_SOLVES", "2");
        env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "30S");
        env.putAll(settings);
        File log = Path.of("target", "replica-" + name + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        replicas.put(name, new Replica(name, port, builder.start()));
    }

    /** Waits until the replica answers its readiness probe; the first replica ready on the empty database made the admin token. */
    void awaitReady(String name) throws IOException {
        Replica replica = replicas.get(name);
        await(Duration.ofSeconds(180), () -> {
            assertThat(replica.process().isAlive()).as("replica %s is running (see target/replica-%s.log)", name, name).isTrue();
            try {
                return http.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).timeout(Duration.ofSeconds(10)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }, () -> "");
        if (token == null) {
            token = Files.readString(data.resolve("admin-token")).strip();
        }
    }

    /** An admin's bearer token (the first admin token the first replica wrote). */
    String token() {
        return token;
    }

    HttpClient http() {
        return http;
    }

    /** A request to a replica, signed in as the admin. */
    HttpRequest.Builder request(String replica, String path) {
        return HttpRequest.newBuilder(URI.create(replicas.get(replica).url(path))).header("Authorization", "Bearer " + token);
    }

    /** POSTs a YAML body that the service answers 202 with a Location, and returns the created id. */
    String post(String replica, String path, String yaml) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request(replica, path).header("Content-Type", "application/yaml")
                .timeout(Duration.ofSeconds(60)).POST(HttpRequest.BodyPublishers.ofString(yaml)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s on %s: %s", path, replica, response.body()).isEqualTo(202);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    @Override
    public void close() {
        replicas.values().forEach(r -> r.process().destroyForcibly());
    }

    // ---------------------------------------------------------------- waiting

    /** Polls another process's state (there is no event to wait on) until the condition holds, else fails with the diagnostics. */
    static void await(Duration atMost, BooleanSupplier condition, Supplier<String> diagnostics) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + atMost + diagnostics.get());
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    /** Waits until no job is queued or running and no frontier is unfinished. */
    void awaitAllFinished(Duration atMost) {
        await(atMost, () -> count("SELECT COUNT(*) FROM job WHERE status IN ('QUEUED', 'RUNNING')") == 0
                && count("SELECT COUNT(*) FROM frontier WHERE status IN ('QUEUED', 'SOLVING')") == 0, this::unfinishedJobs);
    }

    String unfinishedJobs() {
        return "; jobs: " + ids("SELECT id || ' ' || kind || ' ' || status || ' ' || COALESCE(owner, '-') || ' starts=' || starts "
                + "FROM job WHERE status IN ('QUEUED', 'RUNNING')");
    }

    // ---------------------------------------------------------------- database

    private Connection connection() throws SQLException {
        return DriverManager.getConnection(dbUrl, server.user(), server.password());
    }

    /** The first column of the first row, or null. */
    String query(String sql, Object... parameters) {
        try (Connection c = connection(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            ResultSet rows = statement.executeQuery();
            return rows.next() ? rows.getString(1) : null;
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    long count(String sql, Object... parameters) {
        String value = query(sql, parameters);
        return value == null ? 0 : Long.parseLong(value);
    }

    /** The first column of every row. */
    List<String> ids(String sql, Object... parameters) {
        return rows(sql, parameters).stream().map(row -> row.get(0)).toList();
    }

    /** Every row, each as its columns' text. */
    List<List<String>> rows(String sql, Object... parameters) {
        try (Connection c = connection(); var statement = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setObject(i + 1, parameters[i]);
            }
            ResultSet rows = statement.executeQuery();
            int columns = rows.getMetaData().getColumnCount();
            List<List<String>> all = new ArrayList<>();
            while (rows.next()) {
                List<String> row = new ArrayList<>(columns);
                for (int i = 1; i <= columns; i++) {
                    row.add(rows.getString(i));
                }
                all.add(row);
            }
            return all;
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }
}
