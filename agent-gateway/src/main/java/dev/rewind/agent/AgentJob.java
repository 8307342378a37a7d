package dev.rewind.agent;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** One backup run of an agent, moving forward through the stages of {@link JobStage}. */
@Entity
@Table(name = "agent_job")
public class AgentJob extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "agent_id", nullable = false)
    public UUID agentId;

    @Column(name = "database_id", nullable = false)
    public UUID databaseId;

    @Column(name = "target_id", nullable = false)
    public UUID targetId;

    @Column(name = "schedule_id")
    public UUID scheduleId;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public JobStage stage;

    public boolean encrypted;

    @Column(name = "dump_size")
    public Long dumpSize;

    @Column(name = "compressed_size")
    public Long compressedSize;

    @Column(name = "upload_path")
    public String uploadPath;

    @Column(name = "duration_ms")
    public Long durationMs;

    @Column(name = "error_message")
    public String errorMessage;

    @Column(name = "error_code")
    public String errorCode;

    @Column(name = "started_at", nullable = false)
    public OffsetDateTime startedAt;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Column(name = "completed_at")
    public OffsetDateTime completedAt;
}
