package dev.rewind.backup;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.util.UUID;

/** One check of a backup's restore verification: a table's row count or its schema, restored against the source. */
@Entity
@Table(name = "backup_check")
public class BackupCheck extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "backup_id", nullable = false)
    public UUID backupId;

    /** Order of the checks as the verification made them. */
    @Column(nullable = false)
    public int position;

    /** {@code row_count} or {@code schema_match}. */
    @Column(nullable = false)
    public String name;

    /** {@code schema.table} of the source. */
    @Column(name = "table_name", nullable = false)
    public String tableName;

    /** {@code passed} or {@code failed}. */
    @Column(nullable = false)
    public String status;

    public String expected;

    public String actual;
}
