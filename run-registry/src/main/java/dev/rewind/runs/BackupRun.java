package dev.rewind.runs;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Embeddable;
import jakarta.persistence.EmbeddedId;
import jakarta.persistence.Entity;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.OffsetDateTime;
import java.util.Objects;

/** One backup run in the ledger, identified per tenant by the reporter's run_id. */
@Entity
@Table(name = "backup_run")
public class BackupRun extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "job_name", nullable = false)
    public String jobName;

    @Column(name = "agent_id", nullable = false)
    public String agentId;

    @Column(name = "start_time", nullable = false)
    public OffsetDateTime startTime;

    @Column(name = "end_time", nullable = false)
    public OffsetDateTime endTime;

    /** success, failure or partial. */
    @Column(nullable = false)
    public String status;

    @Column(name = "bytes_backed_up")
    public Long bytesBackedUp;

    public Boolean encrypted;

    @Column(name = "encryption_status")
    public String encryptionStatus;

    public String error;

    /** The reporter's metadata object, as JSON text. */
    public String metadata;

    /** Who reported the run: api, backup-service, or an agent. */
    @Column(nullable = false)
    public String source;

    @Column(name = "received_at", nullable = false)
    public OffsetDateTime receivedAt;

    @Embeddable
    public static class Key implements Serializable {

        @Column(nullable = false)
        public String tenant;

        @Column(name = "run_id", nullable = false)
        public String runId;

        protected Key() {
        }

        public Key(String tenant, String runId) {
            this.tenant = tenant;
            this.runId = runId;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && tenant.equals(key.tenant) && runId.equals(key.runId);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, runId);
        }
    }
}
