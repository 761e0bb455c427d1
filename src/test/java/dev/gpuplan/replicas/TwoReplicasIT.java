package dev.gpuplan.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
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

/**
 * Two real service processes (the packaged jar, built with the pg profile) on one PostgreSQL, each on a free
 * loopback port, with a 5 s lease. Every check reads the job table: {@code starts} and {@code completions} count
 * solver starts and finishes per job. Run by {@code ./mvnw -B -Preplicas verify} (see .ci/run); figures are
 * printed and written to target/replicas-report.txt.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TwoReplicasIT {

    private static final Duration LEASE = Duration.ofSeconds(5);
    private static final List<String> REPORT = new ArrayList<>();

    private static ReplicaCluster cluster;
    /** The small example, indented to sit under {@code portfolio:} in a YAML request body. */
    private static String portfolioYaml;

    @BeforeAll
    static void startTwo() throws Exception {
        cluster = new ReplicaCluster("replicas", LEASE, Map.of());
        portfolioYaml = Files.readString(Path.of("planning-configs/examples/small.yaml")).lines()
                .map(line -> "  " + line).collect(java.util.stream.Collectors.joining("\n"));
        start("r1");
        awaitReady("r1"); // one at a time: on a small machine two JVMs starting at once can take minutes
        start("r2");
        awaitReady("r2");
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
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
        cluster.replica("r1").process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
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
        Process r1 = cluster.replica("r1").process();
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
        for (ReplicaCluster.Replica replica : cluster.all()) {
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

    private static String planBody(int budget, int seconds) {
        return "budgetGpuHours: " + budget + "\ntimeLimitSeconds: " + seconds + "\nportfolio:\n" + portfolioYaml + "\n";
    }

    private static String frontierBody(String budgets, int seconds) {
        return "budgets: \"" + budgets + "\"\ntimeLimitSeconds: " + seconds + "\nportfolio:\n" + portfolioYaml + "\n";
    }

    private static void start(String name) throws IOException {
        cluster.start(name);
    }

    private static void awaitReady(String name) throws IOException {
        cluster.awaitReady(name);
    }

    private static String post(String replica, String path, String body) throws IOException, InterruptedException {
        return cluster.post(replica, path, body);
    }

    private static void awaitAllFinished(Duration atMost) {
        cluster.awaitAllFinished(atMost);
    }

    private static void await(Duration atMost, BooleanSupplier condition) {
        ReplicaCluster.await(atMost, condition, cluster::unfinishedJobs);
    }

    private static String query(String sql, Object... parameters) {
        return cluster.query(sql, parameters);
    }

    private static long count(String sql, Object... parameters) {
        return cluster.count(sql, parameters);
    }

    private static List<String> ids(String sql) {
        return cluster.ids(sql);
    }
}
