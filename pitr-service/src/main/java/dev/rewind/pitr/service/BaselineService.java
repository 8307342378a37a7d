package dev.rewind.pitr.service;

import dev.rewind.pitr.Baseline;
import dev.rewind.pitr.messaging.BackupEventPayload;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

/** The PITR baselines: completed backups known from rewind.backups. Runs inside the consumer's transaction. */
@ApplicationScoped
public class BaselineService {

    public Uni<Baseline> completed(BackupEventPayload event) {
        return Baseline.<Baseline>findById(event.backupId()).chain(existing -> {
            Baseline b = existing == null ? new Baseline() : existing;
            b.backupId = event.backupId();
            b.serverId = event.serverId();
            b.tenant = event.tenant();
            b.s3Path = event.s3Path();
            b.binlogFile = event.binlogFile();
            b.binlogPosition = event.binlogPosition();
            b.gtidSet = event.gtidSet();
            b.sizeBytes = event.sizeBytes();
            b.completedAt = event.completedAt();
            return existing == null ? b.<Baseline>persist() : Uni.createFrom().item(b);
        });
    }

    public Uni<Void> deleted(UUID backupId) {
        return Baseline.<Baseline>findById(backupId).invoke(b -> {
            if (b != null && b.deletedAt == null) {
                b.deletedAt = OffsetDateTime.now(ZoneOffset.UTC);
            }
        }).replaceWithVoid();
    }

    @WithSession
    public Uni<List<Baseline>> of(String tenant, UUID serverId) {
        return Baseline.list("tenant = ?1 and serverId = ?2 and deletedAt is null order by completedAt", tenant, serverId);
    }
}
