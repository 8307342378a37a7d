package dev.rewind.commons.outbox;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import java.util.UUID;

/** A test entity: the "change" whose event goes through the outbox. */
@Entity
public class Widget extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "owner_key")
    public String ownerKey;

    public int seq;
}
