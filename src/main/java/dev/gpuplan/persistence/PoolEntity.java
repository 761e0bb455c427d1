package dev.gpuplan.persistence;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import dev.gpuplan.domain.Pool;
import io.quarkus.hibernate.orm.panache.PanacheEntityBase;

/** A stored pool, in the order the pools were given. */
@Entity
@Table(name = "pool")
public class PoolEntity extends PanacheEntityBase {

    @Id
    public String name;
    public int position;
    public String document;

    public static PoolEntity of(int position, Pool pool) {
        PoolEntity entity = new PoolEntity();
        entity.name = pool.name();
        entity.position = position;
        entity.document = Documents.write(pool);
        return entity;
    }

    public Pool toPool() {
        return Documents.read(document, Pool.class);
    }
}
