package dev.rewind.backup.repository;

import dev.rewind.backup.BackupCheck;
import dev.rewind.backup.verify.Verification;
import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/** The restore verification checks of backups. */
@ApplicationScoped
public class BackupCheckRepository implements PanacheRepositoryBase<BackupCheck, UUID> {

    /** The checks of one backup, in the order they were made. */
    public Uni<List<BackupCheck>> of(UUID backupId) {
        return find("backupId", Sort.ascending("position"), backupId).list();
    }

    /** Keeps these checks as the backup's (replacing any earlier ones). */
    public Uni<Void> replace(UUID backupId, List<Verification.Check> checks) {
        List<BackupCheck> rows = new ArrayList<>();
        for (int i = 0; i < checks.size(); i++) {
            Verification.Check check = checks.get(i);
            BackupCheck row = new BackupCheck();
            row.id = UUID.randomUUID();
            row.backupId = backupId;
            row.position = i;
            row.name = check.name();
            row.tableName = check.table();
            row.status = check.status();
            row.expected = check.expected();
            row.actual = check.actual();
            rows.add(row);
        }
        return delete("backupId", backupId).chain(() -> rows.isEmpty() ? Uni.createFrom().voidItem() : persist(rows));
    }
}
