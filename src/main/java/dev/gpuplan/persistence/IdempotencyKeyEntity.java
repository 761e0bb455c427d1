package dev.gpuplan.persistence;

import java.io.Serializable;
import java.time.Instant;
import java.util.Objects;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The first answer to a creating POST sent with an Idempotency-Key; {@code statusCode} is null while it is being made. */
@Entity
@Table(name = "idempotency_key")
@IdClass(IdempotencyKeyEntity.Key.class)
public class IdempotencyKeyEntity extends PanacheEntityBase {

    @Id
    @Column(name = "idem_key")
    public String key;
    @Id
    public String endpoint;
    @Column(name = "request_hash")
    public String requestHash;
    @Column(name = "status_code")
    public Integer statusCode;
    public String location;
    @Column(name = "response_body")
    public String responseBody;
    @Column(name = "created_at")
    public Instant createdAt;

    public static class Key implements Serializable {
        public String key;
        public String endpoint;

        public Key() {
        }

        public Key(String key, String endpoint) {
            this.key = key;
            this.endpoint = endpoint;
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key other && Objects.equals(key, other.key) && Objects.equals(endpoint, other.endpoint);
        }

        @Override
        public int hashCode() {
            return Objects.hash(key, endpoint);
        }
    }
}
