package dev.rewind.commons.messaging;

/** Kafka header names of CloudEvents 1.0 in binary content mode, and Rewind's type prefix. */
public final class CloudEventHeaders {

    public static final String SPEC_VERSION = "ce_specversion";
    public static final String ID = "ce_id";
    public static final String SOURCE = "ce_source";
    public static final String TYPE = "ce_type";
    public static final String TIME = "ce_time";
    public static final String SUBJECT = "ce_subject";
    /** Rewind's extension attribute: the tenant the event belongs to. */
    public static final String TENANT = "ce_tenant";
    public static final String CONTENT_TYPE = "content-type";

    public static final String SPEC_VERSION_1_0 = "1.0";
    public static final String JSON = "application/json";
    public static final String TYPE_PREFIX = "dev.rewind.";

    private CloudEventHeaders() {
    }
}
