package dev.rewind.backup;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.OffsetDateTime;
import java.util.UUID;

/** A backup schedule of one server: a 5-field cron in UTC and how long its backups are kept. */
@Entity
@Table(name = "backup_schedule")
public class Schedule extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String tenant;

    @Column(name = "server_id", nullable = false)
    public UUID serverId;

    @Column(name = "schedule_cron", nullable = false)
    public String scheduleCron;

    @Column(name = "backup_tool", nullable = false)
    public String backupTool;

    @Column(name = "retention_days", nullable = false)
    public int retentionDays;

    /** Keep at most this many completed backups of the schedule (besides the days), or null. */
    @Column(name = "retention_count")
    public Integer retentionCount;

    @Column(name = "s3_prefix")
    public String s3Prefix;

    /** Comma-separated schemas to dump; null means every user schema of the server. */
    public String databases;

    @Column(nullable = false)
    public boolean enabled;

    /** The most backups its cron starts in any one hour ({@link dev.rewind.backup.schedule.CronSchedule#peakPerHour}). */
    @Column(name = "peak_per_hour", nullable = false)
    public int peakPerHour = 1;

    /** Whether its backups are restore-verified (when a verification server of the source's kind is configured). */
    @Column(nullable = false)
    public boolean verify;

    /** The next due time; the trigger claims rows whose next_run has passed. */
    @Column(name = "next_run", nullable = false)
    public OffsetDateTime nextRun;

    @Column(name = "last_run")
    public OffsetDateTime lastRun;

    @Column(name = "last_status")
    public String lastStatus;

    @Column(name = "created_at", nullable = false)
    public OffsetDateTime createdAt;
}
