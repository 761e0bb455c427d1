package dev.gpuplan.service;

import java.math.BigDecimal;
import java.net.InetAddress;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.EntityManager;
import jakarta.transaction.Transactional;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gpuplan.persistence.JobEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * The job queue: plans and frontier points as rows that any replica may claim. All timing is on the database's
 * clock ({@code CURRENT_TIMESTAMP}), never a JVM's, because replicas' clocks drift. A claim takes free rows with
 * {@code SELECT ... FOR UPDATE SKIP LOCKED} (PostgreSQL and H2 2.x both have it), so replicas claiming at once take
 * different rows instead of waiting on each other, then bumps the row's generation. Every later write about a job
 * is conditional on the claim (owner and generation, still RUNNING): a replica that lost its lease changes nothing.
 */
@ApplicationScoped
public class JobQueue {

    /** A job held by this replica: the generation is the fencing token every write about the job must present. */
    public record Claim(String jobId, JobEntity.Kind kind, String targetId, BigDecimal pointBudget, long generation, int starts) {
        /** Whether another replica (or this one before a restart) had started it before. */
        public boolean resumed() {
            return starts > 1;
        }
    }

    /** What a lease renewal found: jobs this replica no longer holds, and jobs someone asked to stop. */
    public record Renewal(Set<String> lost, Set<String> stopRequested) {
    }

    /** {@code GET /api/queue}: queued and solving jobs, per kind and per replica that holds them. */
    public record QueueState(String replica, long queued, long solving, Map<String, Long> queuedByKind,
                             Map<String, Long> solvingByKind, List<ReplicaLoad> replicas) {
    }

    public record ReplicaLoad(String replica, long solving, Instant oldestLeaseExpiresAt) {
    }

    private final EntityManager entityManager;
    private final Duration lease;
    private final String replica;

    public JobQueue(EntityManager entityManager,
                    @ConfigProperty(name = "gpuplan.solver.lease") Duration lease,
                    @ConfigProperty(name = "gpuplan.replica.id") java.util.Optional<String> replicaId) {
        this.entityManager = entityManager;
        this.lease = lease;
        this.replica = replicaId.filter(id -> !id.isBlank()).orElseGet(JobQueue::defaultReplicaId);
    }

    /** Host name plus a random suffix: a restarted process is a new replica, whose old leases simply expire. */
    private static String defaultReplicaId() {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "replica";
        }
        String id = host + "-" + UUID.randomUUID().toString().substring(0, 8);
        return id.length() > 120 ? id.substring(id.length() - 120) : id;
    }

    public String replica() {
        return replica;
    }

    public Duration lease() {
        return lease;
    }

    /** Adds a job in the caller's transaction (with the plan or frontier it solves, so neither exists without the other). */
    @Transactional(Transactional.TxType.MANDATORY)
    public void enqueue(String id, JobEntity.Kind kind, String targetId, BigDecimal pointBudget) {
        JobEntity job = new JobEntity();
        job.id = id;
        job.kind = kind;
        job.targetId = targetId;
        job.pointBudget = pointBudget;
        job.status = JobEntity.Status.QUEUED;
        job.createdAt = databaseNow();
        job.persist();
    }

    /**
     * Claims up to {@code max} jobs: QUEUED ones, and RUNNING ones whose lease expired (their replica died), oldest
     * first. A job somebody asked to stop is never claimed; the sweep finishes it as STOPPED instead.
     */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public List<Claim> claim(int max) {
        if (max <= 0) {
            return List.of();
        }
        @SuppressWarnings("unchecked")
        List<String> ids = entityManager.createNativeQuery("SELECT id FROM job WHERE stop_requested = FALSE AND (status = 'QUEUED' "
                        + "OR (status = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP)) ORDER BY created_at, id LIMIT " + max
                        + " FOR UPDATE SKIP LOCKED")
                .getResultList();
        if (ids.isEmpty()) {
            return List.of();
        }
        OffsetDateTime expires = leaseEnd();
        List<Claim> claims = new ArrayList<>();
        for (String id : ids) {
            int updated = entityManager.createNativeQuery("UPDATE job SET status = 'RUNNING', owner = ?1, generation = generation + 1, "
                            + "lease_expires_at = ?2, starts = starts + 1 WHERE id = ?3 AND stop_requested = FALSE AND (status = 'QUEUED' "
                            + "OR (status = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP))")
                    .setParameter(1, replica).setParameter(2, expires).setParameter(3, id).executeUpdate();
            if (updated == 1) {
                JobEntity job = entityManager.find(JobEntity.class, id);
                entityManager.refresh(job);
                claims.add(new Claim(job.id, job.kind, job.targetId, job.pointBudget, job.generation, job.starts));
            }
        }
        return claims;
    }

    /**
     * Keeps this replica's leases alive and reports which it lost (taken over after an expiry) and which were asked
     * to stop (a DELETE on any replica records the stop here; the owner honours it at its next renewal).
     */
    public Renewal renew(Collection<Claim> held) {
        Set<String> lost = new java.util.HashSet<>();
        Set<String> stop = new java.util.HashSet<>();
        for (Claim claim : held) {
            // One short transaction per job: a renewal never holds two job rows at once, so it cannot deadlock.
            Boolean[] result = QuarkusTransaction.requiringNew().call(() -> {
                boolean renewed = renewOne(claim, leaseEnd());
                JobEntity job = entityManager.find(JobEntity.class, claim.jobId());
                // Not renewed but still ours at this generation: this replica finished it meanwhile, nothing was lost.
                boolean ours = job != null && replica.equals(job.owner) && job.generation == claim.generation();
                return new Boolean[] {renewed || ours, renewed && job.stopRequested};
            });
            if (!result[0]) {
                lost.add(claim.jobId());
            } else if (result[1]) {
                stop.add(claim.jobId());
            }
        }
        return new Renewal(lost, stop);
    }

    /**
     * In the caller's transaction: whether this replica still holds the claim. The conditional update also renews
     * the lease and locks the row until the caller commits, so no takeover can slip between this check and the
     * caller's writes.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean holds(Claim claim) {
        return renewOne(claim, leaseEnd());
    }

    private boolean renewOne(Claim claim, OffsetDateTime expires) {
        return entityManager.createNativeQuery("UPDATE job SET lease_expires_at = ?1 WHERE id = ?2 AND owner = ?3 AND generation = ?4 "
                        + "AND status = 'RUNNING'")
                .setParameter(1, expires).setParameter(2, claim.jobId()).setParameter(3, replica).setParameter(4, claim.generation())
                .executeUpdate() == 1;
    }

    /** In the caller's transaction: ends a held job (DONE, STOPPED or FAILED) and counts the completion. @return false if not held */
    @Transactional(Transactional.TxType.MANDATORY)
    public boolean complete(Claim claim, JobEntity.Status status, String result, String failure) {
        return entityManager.createNativeQuery("UPDATE job SET status = ?1, completions = completions + 1, finished_at = CURRENT_TIMESTAMP, "
                        + "lease_expires_at = NULL, result = ?2, failure = ?3 WHERE id = ?4 AND owner = ?5 AND generation = ?6 AND status = 'RUNNING'")
                .setParameter(1, status.name()).setParameter(2, result).setParameter(3, truncate(failure))
                .setParameter(4, claim.jobId()).setParameter(5, replica).setParameter(6, claim.generation())
                .executeUpdate() == 1;
    }

    /** Hands a held job back at once (shutdown): QUEUED again, so any replica claims it at its next poll. */
    @Transactional(Transactional.TxType.REQUIRES_NEW)
    public boolean release(Claim claim) {
        return entityManager.createNativeQuery("UPDATE job SET status = 'QUEUED', lease_expires_at = NULL WHERE id = ?1 AND owner = ?2 "
                        + "AND generation = ?3 AND status = 'RUNNING'")
                .setParameter(1, claim.jobId()).setParameter(2, replica).setParameter(3, claim.generation())
                .executeUpdate() == 1;
    }

    /**
     * Records a stop of every unfinished job of a plan or frontier, in the caller's transaction. Jobs nobody holds are
     * STOPPED at once and returned; a held one is stopped by its owner at its next lease renewal, or, if its lease
     * has expired (the owner is gone), by whichever replica sweeps first ({@link #abandonedStops}).
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobEntity> requestStop(String targetId) {
        entityManager.createNativeQuery("UPDATE job SET stop_requested = TRUE WHERE target_id = ?1 AND status IN ('QUEUED', 'RUNNING')")
                .setParameter(1, targetId).executeUpdate();
        return stopUnheld("target_id = ?1", targetId);
    }

    /**
     * Stopped jobs nobody will finish: asked to stop while nobody held them, or held by a replica whose lease
     * expired. Each is marked STOPPED here (conditionally: of two sweeping replicas, one does it) and returned so its
     * plan or frontier can be updated in the same transaction.
     */
    @Transactional(Transactional.TxType.MANDATORY)
    public List<JobEntity> abandonedStops() {
        return stopUnheld("1 = 1", null);
    }

    private List<JobEntity> stopUnheld(String filter, String targetId) {
        var query = entityManager.createNativeQuery("SELECT id FROM job WHERE " + filter + " AND stop_requested = TRUE AND (status = 'QUEUED' "
                + "OR (status = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP)) FOR UPDATE SKIP LOCKED");
        if (targetId != null) {
            query.setParameter(1, targetId);
        }
        @SuppressWarnings("unchecked")
        List<String> ids = query.getResultList();
        List<JobEntity> stopped = new ArrayList<>();
        for (String id : ids) {
            int updated = entityManager.createNativeQuery("UPDATE job SET status = 'STOPPED', finished_at = CURRENT_TIMESTAMP, "
                            + "lease_expires_at = NULL, generation = generation + 1 WHERE id = ?1 AND stop_requested = TRUE AND (status = 'QUEUED' "
                            + "OR (status = 'RUNNING' AND lease_expires_at < CURRENT_TIMESTAMP))")
                    .setParameter(1, id).executeUpdate();
            if (updated == 1) {
                JobEntity job = entityManager.find(JobEntity.class, id);
                entityManager.refresh(job);
                stopped.add(job);
            }
        }
        return stopped;
    }

    @Transactional
    public QueueState state() {
        @SuppressWarnings("unchecked")
        List<Object[]> rows = entityManager.createNativeQuery("SELECT status, kind, owner, COUNT(*), MIN(lease_expires_at) FROM job "
                + "WHERE status IN ('QUEUED', 'RUNNING') GROUP BY status, kind, owner").getResultList();
        Map<String, Long> queuedByKind = new TreeMap<>();
        Map<String, Long> solvingByKind = new TreeMap<>();
        Map<String, ReplicaLoad> perReplica = new LinkedHashMap<>();
        for (Object[] row : rows) {
            String status = (String) row[0];
            String kind = (String) row[1];
            long count = ((Number) row[3]).longValue();
            if ("QUEUED".equals(status)) {
                queuedByKind.merge(kind, count, Long::sum);
            } else {
                solvingByKind.merge(kind, count, Long::sum);
                String owner = (String) row[2];
                Instant expires = instant(row[4]);
                perReplica.merge(owner, new ReplicaLoad(owner, count, expires), (a, b) -> new ReplicaLoad(owner, a.solving() + b.solving(),
                        a.oldestLeaseExpiresAt() == null || (b.oldestLeaseExpiresAt() != null && b.oldestLeaseExpiresAt().isBefore(a.oldestLeaseExpiresAt()))
                                ? b.oldestLeaseExpiresAt() : a.oldestLeaseExpiresAt()));
            }
        }
        long queued = queuedByKind.values().stream().mapToLong(Long::longValue).sum();
        long solving = solvingByKind.values().stream().mapToLong(Long::longValue).sum();
        return new QueueState(replica, queued, solving, queuedByKind, solvingByKind,
                perReplica.values().stream().sorted(java.util.Comparator.comparing(ReplicaLoad::replica)).collect(Collectors.toList()));
    }

    /** The database's clock, so every replica measures leases against the same time. */
    @Transactional(Transactional.TxType.MANDATORY)
    public Instant databaseNow() {
        return instant(entityManager.createNativeQuery("SELECT CURRENT_TIMESTAMP").getSingleResult());
    }

    private OffsetDateTime leaseEnd() {
        return OffsetDateTime.ofInstant(databaseNow().plus(lease), ZoneOffset.UTC);
    }

    static Instant instant(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof Instant instant) {
            return instant;
        }
        if (value instanceof OffsetDateTime offset) {
            return offset.toInstant();
        }
        if (value instanceof java.time.ZonedDateTime zoned) {
            return zoned.toInstant();
        }
        if (value instanceof Timestamp timestamp) {
            return timestamp.toInstant();
        }
        throw new IllegalStateException("unexpected timestamp type " + value.getClass().getName());
    }

    private static String truncate(String text) {
        return text == null || text.length() <= 1900 ? text : text.substring(0, 1900);
    }
}
