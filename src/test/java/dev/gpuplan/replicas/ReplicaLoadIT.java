package dev.gpuplan.replicas;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The load benchmark (a measurement, not a test of the default build): many concurrent clients for a fixed time
 * against one replica, then against two on the same database, mixing reads, proposal upserts and plan submissions
 * while every solver thread is kept busy. Loopback only, bounded in clients and time. Run with
 * {@code ./mvnw -B -Preplicas verify -Dit.test=ReplicaLoadIT -Dgpuplan.load=true}
 * ({@code -Dgpuplan.load.clients=200 -Dgpuplan.load.seconds=60} are the defaults). It prints throughput, read latency
 * percentiles and errors per run, writes them to target/load-report.txt, and checks that the database holds exactly
 * the proposals and plans the clients were told were stored, and that no request failed.
 */
@EnabledIfSystemProperty(named = "gpuplan.load", matches = "true")
class ReplicaLoadIT {

    private static final int CLIENTS = Integer.getInteger("gpuplan.load.clients", 200);
    private static final Duration RUN = Duration.ofSeconds(Long.getLong("gpuplan.load.seconds", 60));
    /** Clients that each keep one plan in the queue: twice the solver threads of two replicas, so every solver stays busy. */
    private static final int SUBMITTERS = 8;
    /** Keys per upserting client: upserts create a key, then update it. */
    private static final int KEYS_PER_CLIENT = 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REPORT = new ArrayList<>();

    private static ReplicaCluster cluster;
    private static String planBody;

    @BeforeAll
    static void startTwo() throws Exception {
        cluster = new ReplicaCluster("load", Duration.ofSeconds(10),
                Map.of("GPUPLAN_LIMITS_QUEUED_PLANS", String.valueOf(2 * SUBMITTERS), "QUARKUS_DATASOURCE_JDBC_MAX_SIZE", "30"));
        String portfolio = Files.readString(Path.of("planning-configs/examples/small.yaml")).lines()
                .map(line -> "  " + line).collect(Collectors.joining("\n"));
        planBody = "budgetGpuHours: 400\ntimeLimitSeconds: 3\nportfolio:\n" + portfolio + "\n";
        cluster.start("r1");
        cluster.awaitReady("r1");
        cluster.start("r2");
        cluster.awaitReady("r2");
        HttpResponse<String> pools = cluster.http().send(cluster.request("r1", "/api/pools").header("Content-Type", "application/json")
                .PUT(HttpRequest.BodyPublishers.ofString("[{\"name\":\"load-pool\",\"gpuType\":\"h100\",\"gpus\":64}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(pools.statusCode()).as(pools.body()).isEqualTo(200);
    }

    @AfterAll
    static void stopAll() throws IOException {
        if (cluster != null) {
            cluster.close();
        }
        Files.write(Path.of("target/load-report.txt"), REPORT, StandardCharsets.UTF_8);
        REPORT.forEach(System.out::println);
    }

    @Test
    void oneReplicaThenTwo() throws Exception {
        REPORT.add(String.format("load: %d clients for %d s each run (%d keep a plan queued, the others read 3:1 to upserts), "
                + "%d cores, load average before: %.1f", CLIENTS, RUN.toSeconds(), SUBMITTERS,
                Runtime.getRuntime().availableProcessors(), java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()));
        Run one = drive("one", List.of("r1"));
        REPORT.add(one.summary());
        Run two = drive("two", List.of("r1", "r2"));
        REPORT.add(two.summary());
        for (Run run : List.of(one, two)) {
            assertStored(run);
        }
        for (Run run : List.of(one, two)) {
            assertThat(run.errors).as("errors against %s: %s", run.name, run.errorSamples).isEmpty();
        }
    }

    /** What one run saw, and what its clients were told was stored. */
    private static final class Run {
        final String name;
        final List<String> targets;
        final List<Double> reads = Collections.synchronizedList(new ArrayList<>());
        final List<Double> readsWhileSolving = Collections.synchronizedList(new ArrayList<>());
        final List<Double> upserts = Collections.synchronizedList(new ArrayList<>());
        final List<Double> submissions = Collections.synchronizedList(new ArrayList<>());
        final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();
        final Set<String> plans = ConcurrentHashMap.newKeySet();
        final List<String> errors = Collections.synchronizedList(new ArrayList<>());
        final Set<String> errorSamples = ConcurrentHashMap.newKeySet();
        final AtomicLong solving = new AtomicLong();
        double seconds;

        Run(String name, List<String> targets) {
            this.name = name;
            this.targets = targets;
        }

        void error(String what) {
            errors.add(what);
            if (errorSamples.size() < 5) {
                errorSamples.add(what);
            }
        }

        String summary() {
            long requests = reads.size() + upserts.size() + submissions.size();
            return String.format("load against %s (%s): %d requests in %.0f s = %.0f/s; reads p50/p95/p99 %s ms (%d), "
                    + "reads while every solver thread was busy p50/p95/p99 %s ms (%d); upserts p50/p95/p99 %s ms (%d); "
                    + "plan submissions p50/p95 %s ms (%d, %d plans solved); errors %d",
                    targets.size() == 1 ? "one replica" : targets.size() + " replicas", String.join("+", targets), requests, seconds,
                    requests / seconds, percentiles(reads), reads.size(), percentiles(readsWhileSolving), readsWhileSolving.size(),
                    percentiles(upserts), upserts.size(), percentiles(submissions), submissions.size(), plans.size(), errors.size());
        }
    }

    private static Run drive(String name, List<String> targets) throws Exception {
        Run run = new Run(name, targets);
        long start = System.nanoTime();
        long deadline = start + RUN.toNanos();
        ExecutorService clients = Executors.newFixedThreadPool(CLIENTS);
        List<Future<?>> all = new ArrayList<>();
        for (int c = 0; c < CLIENTS; c++) {
            int client = c;
            String target = targets.get(c % targets.size());
            all.add(clients.submit(() -> {
                if (client < SUBMITTERS) {
                    submitter(run, target, deadline);
                } else {
                    reader(run, client, target, deadline);
                }
                return null;
            }));
        }
        SolvingSampler solving = new SolvingSampler(run, deadline);
        solving.start();
        for (Future<?> f : all) {
            f.get(RUN.toSeconds() + 300, TimeUnit.SECONDS);
        }
        clients.shutdown();
        solving.join();
        run.seconds = (System.nanoTime() - start) / 1e9;
        cluster.awaitAllFinished(Duration.ofSeconds(300));
        return run;
    }

    /** Samples the job table each half second: whether every solver thread of the run's replicas is busy. */
    private static final class SolvingSampler extends Thread {
        private final Run run;
        private final long deadline;

        SolvingSampler(Run run, long deadline) {
            this.run = run;
            this.deadline = deadline;
            setDaemon(true);
        }

        @Override
        public void run() {
            while (System.nanoTime() < deadline) {
                run.solving.set(cluster.count("SELECT COUNT(*) FROM job WHERE status = 'RUNNING'"));
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Keeps one plan queued or solving: submits, waits for it to finish, submits the next. */
    private static void submitter(Run run, String target, long deadline) throws Exception {
        while (System.nanoTime() < deadline) {
            long t = System.nanoTime();
            HttpResponse<String> response = send(run, cluster.request(target, "/api/plans").header("Content-Type", "application/yaml")
                    .POST(HttpRequest.BodyPublishers.ofString(planBody)));
            if (response == null) {
                continue;
            }
            run.submissions.add((System.nanoTime() - t) / 1e6);
            if (response.statusCode() != 202) {
                run.error("POST /api/plans " + response.statusCode() + " " + response.body());
                continue;
            }
            String id = JSON.readTree(response.body()).path("id").asText();
            run.plans.add(id);
            while (true) {
                Thread.sleep(500);
                HttpResponse<String> plan = send(run, cluster.request(target, "/api/plans/" + id).GET());
                if (plan != null && plan.statusCode() == 200) {
                    String status = JSON.readTree(plan.body()).path("status").asText();
                    if (!status.equals("QUEUED") && !status.equals("SOLVING")) {
                        break;
                    }
                }
            }
        }
    }

    /** Reads three times out of four (plan lists, proposal pages, one plan), else upserts one of its own keys. */
    private static void reader(Run run, int client, String target, long deadline) throws Exception {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        String team = "load-" + run.name + "-" + (client % 10);
        int writes = 0;
        while (System.nanoTime() < deadline) {
            Thread.sleep(random.nextInt(50, 150)); // think time
            if (random.nextInt(4) < 3) {
                String path = switch (random.nextInt(3)) {
                    case 0 -> "/api/plans?limit=20";
                    case 1 -> "/api/proposals?limit=50&team=" + team;
                    default -> run.plans.isEmpty() ? "/api/plans?limit=5" : "/api/plans/" + run.plans.iterator().next();
                };
                boolean busy = run.solving.get() >= 2L * run.targets.size();
                long t = System.nanoTime();
                HttpResponse<String> response = send(run, cluster.request(target, path).GET());
                double ms = (System.nanoTime() - t) / 1e6;
                if (response == null) {
                    continue;
                }
                if (response.statusCode() != 200) {
                    run.error("GET " + path + " " + response.statusCode() + " " + response.body());
                }
                run.reads.add(ms);
                if (busy) {
                    run.readsWhileSolving.add(ms);
                }
            } else {
                String key = String.format("load-%s-c%03d-k%02d", run.name, client, writes % KEYS_PER_CLIENT);
                int value = 1 + random.nextInt(1000);
                String body = String.format("{\"key\":\"%s\",\"team\":\"%s\",\"value\":%d,\"gpus\":%d,\"hours\":%d}",
                        key, team, value, 1 + random.nextInt(8), 1 + random.nextInt(24));
                long t = System.nanoTime();
                HttpResponse<String> response = send(run, cluster.request(target, "/api/proposals/" + key)
                        .header("Content-Type", "application/json").PUT(HttpRequest.BodyPublishers.ofString(body)));
                if (response == null) {
                    continue;
                }
                run.upserts.add((System.nanoTime() - t) / 1e6);
                if (response.statusCode() == 200 || response.statusCode() == 201) {
                    run.acknowledged.put(key, value); // one client owns each key: the last acknowledged value is the stored one
                } else {
                    run.error("PUT " + key + " " + response.statusCode() + " " + response.body());
                }
                writes++;
            }
        }
    }

    private static HttpResponse<String> send(Run run, HttpRequest.Builder request) throws InterruptedException {
        try {
            return cluster.http().send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            run.error(e.getClass().getSimpleName() + ": " + e.getMessage());
            return null;
        }
    }

    /** The database holds exactly the proposals (with the last acknowledged value) and the plans the clients were told were stored. */
    private static void assertStored(Run run) throws Exception {
        Map<String, Integer> stored = new java.util.HashMap<>();
        for (List<String> row : cluster.rows("SELECT proposal_key, document FROM proposal WHERE proposal_key LIKE ?", "load-" + run.name + "-%")) {
            JsonNode document = JSON.readTree(row.get(1));
            stored.put(row.get(0), document.path("value").asInt());
        }
        assertThat(stored).as("proposals stored by the %s run", run.name).isEqualTo(Map.copyOf(run.acknowledged));
        for (String id : run.plans) {
            assertThat(cluster.query("SELECT status FROM plan WHERE id = ?", id)).as("plan %s", id).isEqualTo("SOLVED");
        }
        REPORT.add(String.format("load against %s: database holds exactly the %d proposals and %d plans acknowledged",
                run.name, stored.size(), run.plans.size()));
    }

    private static String percentiles(List<Double> millis) {
        if (millis.isEmpty()) {
            return "-";
        }
        List<Double> sorted;
        synchronized (millis) {
            sorted = millis.stream().sorted().toList();
        }
        return String.format("%.0f/%.0f/%.0f", at(sorted, 0.50), at(sorted, 0.95), at(sorted, 0.99));
    }

    private static double at(List<Double> sorted, double q) {
        return sorted.get((int) Math.min(sorted.size() - 1, Math.max(0, Math.ceil(q * sorted.size()) - 1)));
    }
}
