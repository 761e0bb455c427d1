package dev.gpuplan.persistence;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;

import dev.gpuplan.domain.Proposal;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored proposal: its validated document, with the key and team as columns to look up and filter by. */
@Entity
@Table(name = "proposal")
public class ProposalEntity extends PanacheEntityBase {

    @Id
    @Column(name = "proposal_key")
    public String key;
    public String team;
    public String document;
    @Version
    public long version;
    @Column(name = "updated_at")
    public Instant updatedAt;

    public static ProposalEntity of(Proposal proposal) {
        ProposalEntity entity = new ProposalEntity();
        entity.key = proposal.key();
        entity.replaceWith(proposal);
        return entity;
    }

    public void replaceWith(Proposal proposal) {
        team = proposal.team();
        document = Documents.write(proposal);
        updatedAt = Instant.now();
    }

    public Proposal toProposal() {
        return Documents.read(document, Proposal.class);
    }
}
