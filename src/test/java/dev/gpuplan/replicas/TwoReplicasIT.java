package dev.gpuplan.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import dev.gpuplan.persistence.TestPostgres;

/**
 * Two real service processes (the packaged jar, built with the pg profile) on one PostgreSQL, each on a free
 * loopback port, with a 5 s lease. Every check reads the job table: {@code starts} and {@code completions} count
 * solver starts and finishes per job. Run by {@code ./mvnw -B -Preplicas verify} (see .ci/run); figures are
 * printed and written to target/replicas-report.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final Path JAR = Path.of("target/quarkus-app/quarkus-run.jar");
    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private static final List<String> REPORT = new ArrayList<>();

    /** The replicas' data directory (the first admin token lands here). */
    private static final Path DATA = Path.of("target/replica-data");
    private static String token;
    private static String dbUrl;
    private static TestPostgres.Server server;
    private static final Map<String, Replica> replicas = new LinkedHashMap<>();
    /** The small example, indented to sit under {@code portfolio:} in a YAML request body. */
    private static String portfolioYaml;

    /** One service process. */
    record Replica(String name, int port, Process process) {
        String url(String path) {
            return "http://127.0.0.1:" + port + path;
        }
    }

    @BeforeAll
    static void startTwo() throws Exception {
        assertThat(JAR).as("the packaged jar (./mvnw -B -Preplicas verify builds it with the pg profile)").exists();
        server = TestPostgres.server();
        dbUrl = TestPostgres.database(System.getenv().getOrDefault("GPUPLAN_TEST_DB_NAME", "gpuplan_test") + "_replicas", true);
        portfolioYaml = Files.readString(Path.of("planning-configs/examples/small.yaml")).lines()
                .map(line -> "  " + line).collect(java.util.stream.Collectors.joining("\n"));
        deleteRecursively(DATA);
        start("r1");
        awaitReady("r1"); // one at a time: on a small machine two JVMs starting at once can take minutes
        // The first replica on an empty database writes the first admin token to its data directory.
        token = Files.readString(DATA.resolve("admin-token")).strip();
        start("r2");
        awaitReady("r2");
    }

    @AfterAll
    static void stopAll() throws IOException {
        replicas.values().forEach(r -> r.process().destroyForcibly());
        Files.write(Path.of("target/replicas-report.txt"), REPORT, StandardCharsets.UTF_8);
        REPORT.forEach(System.out::println);
    }

    @Test
    @Order(1)
    void fortyPlansAndATwelvePointFrontierAreEachSolvedExactlyOnceOnBothReplicas() throws Exception {
        long started = System.nanoTime();
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            plans.add(post(i % 2 == 0 ? "r1" : "r2", "/api/plans", planBody(400 + i, 1)));
        }
        String frontier = post("r1", "/api/frontiers", frontierBody("100:1200:100", 1));
        awaitAllFinished(Duration.ofSeconds(150));
        REPORT.add(String.format("exactly-once: 40 plans + 12-point frontier solved in %.1f s", (System.nanoTime() - started) / 1e9));

        for (String id : plans) {
            assertThat(query("SELECT status FROM plan WHERE id = ?", id)).as("plan %s", id).isEqualTo("SOLVED");
        }
        assertThat(query("SELECT status FROM frontier WHERE id = ?", frontier)).isEqualTo("SOLVED");
        assertThat(count("SELECT COUNT(*) FROM job WHERE target_id = ? AND kind = 'FRONTIER_POINT'", frontier)).isEqualTo(12);
        assertThat(count("SELECT COUNT(*) FROM job WHERE target_id = ? AND kind = 'FRONTIER_REPAIR'", frontier)).isEqualTo(1);
        assertThat(count("SELECT COUNT(*) FROM job WHERE starts <> 1 OR completions <> 1 OR status <> 'DONE'"))
                .as("jobs not started and finished exactly once").isZero();
        long pointsOnR1 = count("SELECT COUNT(*) FROM job WHERE target_id = ? AND kind = 'FRONTIER_POINT' AND owner = 'r1'", frontier);
        long plansOnR1 = count("SELECT COUNT(*) FROM job WHERE kind = 'PLAN' AND owner = 'r1'");
        REPORT.add("exactly-once: frontier points solved by r1/r2: " + pointsOnR1 + "/" + (12 - pointsOnR1)
                + ", plans by r1/r2: " + plansOnR1 + "/" + (40 - plansOnR1));
        assertThat(pointsOnR1).as("frontier points solved by r1 (of 12)").isBetween(1L, 11L);
    }

    @Test
    @Order(2)
    void killMinus9OfOneReplicaLosesNothingAndSolvesNothingTwice() throws Exception {
        for (int i = 0; i < 6; i++) {
            post(i % 2 == 0 ? "r1" : "r2", "/api/plans", planBody(500 + i, 6));
        }
        post("r2", "/api/frontiers", frontierBody("200,400,600,800", 3));
        await(Duration.ofSeconds(60), () -> count("SELECT COUNT(*) FROM job WHERE status = 'RUNNING' AND owner = 'r1'") > 0);
        List<String> held = ids("SELECT id FROM job WHERE status = 'RUNNING' AND owner = 'r1'");
        long killedAt = System.nanoTime();
        replicas.get("r1").process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        await(Duration.ofSeconds(60), () -> held.stream().allMatch(id -> !"r1".equals(query("SELECT owner FROM job WHERE id = ?", id))));
        double takeover = (System.nanoTime() - killedAt) / 1e9;
        REPORT.add(String.format("kill -9: %d jobs of r1 taken over by r2 %.1f s after the kill (lease %d s)", held.size(), takeover, LEASE.toSeconds()));

        awaitAllFinished(Duration.ofSeconds(120));
        assertThat(count("SELECT COUNT(*) FROM plan WHERE status <> 'SOLVED'")).as("plans not SOLVED").isZero();
        assertThat(count("SELECT COUNT(*) FROM frontier WHERE status <> 'SOLVED'")).as("frontiers not SOLVED").isZero();
        assertThat(count("SELECT COUNT(*) FROM job WHERE completions <> 1")).as("jobs not completed exactly once").isZero();
        for (String id : held) {
            assertThat(count("SELECT starts FROM job WHERE id = ?", id)).as("solver starts of taken-over job %s", id).isEqualTo(2);
        }
    }

    @Test
    @Order(3)
    void sigtermHandsTheWorkOverAtOnce() throws Exception {
        start("r1");
        awaitReady("r1");
        // Two long plans on r1: r2 (two solver threads, idle) has room for both.
        post("r1", "/api/plans", planBody(700, 20));
        post("r1", "/api/plans", planBody(701, 20));
        await(Duration.ofSeconds(60), () -> count("SELECT COUNT(*) FROM job WHERE status = 'RUNNING' AND owner = 'r1'") > 0);
        await(Duration.ofSeconds(30), () -> count("SELECT COUNT(*) FROM plan p JOIN job j ON j.id = p.id WHERE j.owner = 'r1' "
                + "AND j.status = 'RUNNING' AND p.score IS NULL") == 0); // a best plan saved, to resume from
        List<String> held = ids("SELECT id FROM job WHERE status = 'RUNNING' AND owner = 'r1'");
        long termAt = System.nanoTime();
        Process r1 = replicas.get("r1").process();
        r1.destroy(); // SIGTERM
        await(Duration.ofSeconds(30), () -> held.stream().allMatch(id -> "r2".equals(query("SELECT owner FROM job WHERE id = ?", id))
                && "RUNNING".equals(query("SELECT status FROM job WHERE id = ?", id))));
        double takeover = (System.nanoTime() - termAt) / 1e9;
        assertThat(r1.waitFor(30, TimeUnit.SECONDS)).as("r1 exits after SIGTERM").isTrue();
        double exited = (System.nanoTime() - termAt) / 1e9;
        REPORT.add(String.format("SIGTERM: %d jobs of r1 taken over by r2 %.1f s after the signal; r1 exited after %.1f s (exit code %d)",
                held.size(), takeover, exited, r1.exitValue()));
        assertThat(takeover).as("seconds from SIGTERM to takeover").isLessThan(10);
        for (String id : held) {
            assertThat(query("SELECT score FROM plan WHERE id = ?", id)).as("plan %s kept its saved best", id).isNotNull();
        }
        awaitAllFinished(Duration.ofSeconds(90));
        assertThat(count("SELECT COUNT(*) FROM job WHERE completions <> 1")).isZero();
    }

    @Test
    @Order(4)
    void aRestartOfBothResumesEverything() throws Exception {
        start("r1");
        awaitReady("r1");
        List<String> plans = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            plans.add(post(i % 2 == 0 ? "r1" : "r2", "/api/plans", planBody(800 + i, 8)));
        }
        String frontier = post("r1", "/api/frontiers", frontierBody("150,300,450,600,750,900", 2));
        await(Duration.ofSeconds(60), () -> count("SELECT COUNT(*) FROM job WHERE target_id = ? AND status = 'DONE'", frontier) > 0
                && count("SELECT COUNT(*) FROM job WHERE status = 'RUNNING'") > 0);
        List<String> doneBefore = ids("SELECT id FROM job WHERE target_id = '" + frontier + "' AND status = 'DONE'");
        for (Replica replica : List.copyOf(replicas.values())) {
            replica.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        long restartAt = System.nanoTime();
        start("r1");
        awaitReady("r1");
        start("r2");
        awaitReady("r2");
        awaitAllFinished(Duration.ofSeconds(150));
        REPORT.add(String.format("restart of both (kill -9): everything finished %.1f s after the restart began; "
                + "%d frontier points solved before it were kept", (System.nanoTime() - restartAt) / 1e9, doneBefore.size()));
        for (String id : plans) {
            assertThat(query("SELECT status FROM plan WHERE id = ?", id)).isEqualTo("SOLVED");
        }
        assertThat(query("SELECT status FROM frontier WHERE id = ?", frontier)).isEqualTo("SOLVED");
        for (String id : doneBefore) {
            assertThat(count("SELECT starts FROM job WHERE id = ?", id)).as("point %s solved before the restart is not solved again", id).isEqualTo(1);
        }
        assertThat(count("SELECT COUNT(*) FROM job WHERE completions <> 1")).isZero();
    }

    // ---------------------------------------------------------------- processes

    private static void start(String name) throws IOException {
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
        env.put("GPUPLAN_DATA_DIR", DATA.toAbsolutePath().toString());
        env.put("GPUPLAN_SOLVER_LEASE", LEASE.toSeconds() + "s");
        env.put("GPUPLAN_SOLVER_HEARTBEAT", "1s");
        env.put("GPUPLAN_QUEUE_POLL", "500ms");
        env.put("GPUPLAN_SOLVER_SAVE_INTERVAL", "500ms");
        env.put("GPUPLAN_PARALLEL_SOLVES", "2");
        env.put("QUARKUS_DATASOURCE_JDBC_ACQUISITION_TIMEOUT", "30S");
        File log = Path.of("target", "replica-" + name + ".log").toFile();
        builder.redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.appendTo(log));
        replicas.put(name, new Replica(name, port, builder.start()));
    }

    private static void awaitReady(String name) {
        Replica replica = replicas.get(name);
        await(Duration.ofSeconds(120), () -> {
            assertThat(replica.process().isAlive()).as("replica %s is running (see target/replica-%s.log)", name, name).isTrue();
            try {
                return HTTP.send(HttpRequest.newBuilder(URI.create(replica.url("/q/health/ready"))).timeout(Duration.ofSeconds(5)).build(),
                        HttpResponse.BodyHandlers.ofString()).statusCode() == 200;
            } catch (IOException e) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        });
    }

    /** POSTs and returns the created id (from Location). */
    private static String post(String replica, String path, String body) throws IOException, InterruptedException {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(replicas.get(replica).url(path)))
                .header("Content-Type", "application/yaml").header("Authorization", "Bearer " + token).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as("POST %s on %s: %s", path, replica, response.body()).isEqualTo(202);
        String location = response.headers().firstValue("Location").orElseThrow();
        return location.substring(location.lastIndexOf('/') + 1);
    }

    private static String planBody(int budget, int seconds) {
        return "budgetGpuHours: " + budget + "\ntimeLimitSeconds: " + seconds + "\nportfolio:\n" + portfolioYaml + "\n";
    }

    private static String frontierBody(String budgets, int seconds) {
        return "budgets: \"" + budgets + "\"\ntimeLimitSeconds: " + seconds + "\nportfolio:\n" + portfolioYaml + "\n";
    }

    private static void deleteRecursively(Path dir) throws IOException {
        if (Files.exists(dir)) {
            try (var paths = Files.walk(dir)) {
                paths.sorted(java.util.Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
            }
        }
    }

    // ---------------------------------------------------------------- database

    private static void awaitAllFinished(Duration atMost) {
        await(atMost, () -> count("SELECT COUNT(*) FROM job WHERE status IN ('QUEUED', 'RUNNING')") == 0
                && count("SELECT COUNT(*) FROM frontier WHERE status IN ('QUEUED', 'SOLVING')") == 0);
    }

    private static void await(Duration atMost, BooleanSupplier condition) {
        long deadline = System.nanoTime() + atMost.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + atMost + "; jobs: " + ids("SELECT id || ' ' || kind || ' ' || status || ' ' "
                        + "|| COALESCE(owner, '-') || ' starts=' || starts FROM job WHERE status IN ('QUEUED', 'RUNNING')"));
            }
            try {
                Thread.sleep(200); // polling another process's database: there is no event to wait on
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    private static Connection connection() throws SQLException {
        return DriverManager.getConnection(dbUrl, server.user(), server.password());
    }

    private static String query(String sql, Object... parameters) {
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

    private static long count(String sql, Object... parameters) {
        String value = query(sql, parameters);
        return value == null ? 0 : Long.parseLong(value);
    }

    private static List<String> ids(String sql) {
        try (Connection c = connection(); var statement = c.createStatement()) {
            ResultSet rows = statement.executeQuery(sql);
            List<String> ids = new ArrayList<>();
            while (rows.next()) {
                ids.add(rows.getString(1));
            }
            return ids;
        } catch (SQLException e) {
            throw new AssertionError(sql + ": " + e.getMessage(), e);
        }
    }
}
