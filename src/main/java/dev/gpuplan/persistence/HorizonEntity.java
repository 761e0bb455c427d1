package dev.gpuplan.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.gpuplan.domain.Horizon;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** The one stored horizon (id 1). */
@Entity
@Table(name = "horizon")
public class HorizonEntity extends PanacheEntityBase {

    public static final int ID = 1;

    @Id
    public int id = ID;
    public String document;

    public Horizon toHorizon() {
        return Documents.read(document, Horizon.class);
    }
}
