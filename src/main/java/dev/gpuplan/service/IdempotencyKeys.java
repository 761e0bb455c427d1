package dev.gpuplan.service;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import dev.gpuplan.access.Caller;
import dev.gpuplan.input.InvalidInputException;
import dev.gpuplan.persistence.IdempotencyKeyEntity;
import io.quarkus.narayana.jta.QuarkusTransaction;

/**
 * Idempotent creation: the first request with a key reserves it (a row whose primary key is the key and the
 * endpoint, so of two concurrent first requests only one inserts), does the work, and stores its answer; a retry
 * with the same key and the same body gets that answer again (the same id), one with another body is refused
 * (422), one that arrives while the first is still being answered gets 409. A failed request frees its key.
 * Keys expire after {@code gpuplan.idempotency.expiry}, measured on the database's clock. A key is its caller's own:
 * another caller sending the same key makes a request of its own, checked against its own rights, so a key can
 * neither replay someone else's answer nor be used up by someone else.
 */
@ApplicationScoped
public class IdempotencyKeys {

    /** A creating request's answer: status, Location (may be null) and the JSON body. */
    public record Answer(int status, String location, String body) {
    }

    /** The key was used before with a different request body. */
    public static class KeyReusedException extends RuntimeException {
        public KeyReusedException(String message) {
            super(message);
        }
    }

    public static final int MAX_KEY_LENGTH = 200;

    private final JobQueue clock;
    private final Duration expiry;
    private final Caller caller;

    public IdempotencyKeys(JobQueue clock, @ConfigProperty(name = "gpuplan.idempotency.expiry") Duration expiry, Caller caller) {
        this.clock = clock;
        this.expiry = expiry;
        this.caller = caller;
    }

    /** Runs {@code create} once per key, operation ({@code "POST /api/plans"}) and caller; without a key, every time. */
    public Answer once(String key, String operation, String requestBody, Supplier<Answer> create) {
        if (key == null || key.isBlank()) {
            return create.get();
        }
        if (key.length() > MAX_KEY_LENGTH) {
            throw InvalidInputException.of("header", "", "Idempotency-Key", "must be at most " + MAX_KEY_LENGTH + " characters, got " + key.length());
        }
        String endpoint = operation + " by " + caller.name();
        String hash = sha256(endpoint + "\n" + requestBody);
        Answer earlier = reserve(key, endpoint, operation, hash);
        if (earlier != null) {
            return earlier;
        }
        Answer answer;
        try {
            answer = create.get();
        } catch (RuntimeException e) {
            QuarkusTransaction.requiringNew().run(() -> IdempotencyKeyEntity.deleteById(new IdempotencyKeyEntity.Key(key, endpoint)));
            throw e;
        }
        QuarkusTransaction.requiringNew().run(() -> {
            IdempotencyKeyEntity row = IdempotencyKeyEntity.findById(new IdempotencyKeyEntity.Key(key, endpoint));
            row.statusCode = answer.status();
            row.location = answer.location();
            row.responseBody = answer.body();
        });
        return answer;
    }

    /** @return the stored answer of an earlier request with this key, or null when this request reserved the key */
    private Answer reserve(String key, String endpoint, String operation, String hash) {
        for (int attempt = 0; ; attempt++) {
            try {
                return QuarkusTransaction.requiringNew().call(() -> {
                    java.time.Instant now = clock.databaseNow();
                    IdempotencyKeyEntity.delete("createdAt < ?1", now.minus(expiry));
                    IdempotencyKeyEntity row = IdempotencyKeyEntity.findById(new IdempotencyKeyEntity.Key(key, endpoint));
                    if (row == null) {
                        row = new IdempotencyKeyEntity();
                        row.key = key;
                        row.endpoint = endpoint;
                        row.requestHash = hash;
                        row.createdAt = now;
                        row.persist();
                        row.flush();
                        return null;
                    }
                    if (!row.requestHash.equals(hash)) {
                        throw new KeyReusedException("Idempotency-Key \"" + key + "\" was already used for a different " + operation
                                + " request; use a new key for a new request");
                    }
                    if (row.statusCode == null) {
                        throw new ConflictException("Idempotency-Key", "a request with Idempotency-Key \"" + key
                                + "\" is still being answered; retry in a moment");
                    }
                    return new Answer(row.statusCode, row.location, row.responseBody);
                });
            } catch (jakarta.persistence.PersistenceException e) {
                // Another request inserted the same key at the same moment: read its row on the next attempt.
                if (attempt >= 2) {
                    throw e;
                }
            }
        }
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
