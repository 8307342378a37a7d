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

/** How often a job of a tenant is expected to succeed; the summary calls the job stale past it. */
@Entity
@Table(name = "job_expectation")
public class JobExpectation extends PanacheEntityBase {

    @EmbeddedId
    public Key key;

    @Column(name = "expected_interval_seconds", nullable = false)
    public long expectedIntervalSeconds;

    @Column(name = "updated_at", nullable = false)
    public OffsetDateTime updatedAt;

    @Embeddable
    public static class Key implements Serializable {

        @Column(nullable = false)
        public String tenant;

        @Column(name = "job_name", nullable = false)
        public String jobName;

        protected Key() {
        }

        public Key(String tenant, String jobName) {
            this.tenant = tenant;
            this.jobName = jobName;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key key && tenant.equals(key.tenant) && jobName.equals(key.jobName);
        }

        @Override
        public int hashCode() {
            return Objects.hash(tenant, jobName);
        }
    }
}
