package dev.gpuplan.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/**
 * A personal API token. The token itself is never stored: only the hex SHA-256 of it, which is what a request's
 * token is looked up by. {@code teams} is a comma-separated list (team names cannot contain commas).
 */
@Entity
@Table(name = "api_token")
public class ApiTokenEntity extends PanacheEntityBase {

    @Id
    public String id;
    @Column(name = "token_hash")
    public String tokenHash;
    @Column(name = "user_name")
    public String userName;
    public String role;
    public String teams;
    public String description;
    @Column(name = "created_by")
    public String createdBy;
    @Column(name = "created_at")
    public Instant createdAt;
    @Column(name = "expires_at")
    public Instant expiresAt;
    @Column(name = "revoked_at")
    public Instant revokedAt;
}
