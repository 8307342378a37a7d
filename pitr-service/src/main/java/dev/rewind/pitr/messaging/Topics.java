package dev.rewind.pitr.messaging;

/** Topics and channels pitr-service uses. */
public final class Topics {

    public static final String ONBOARDING = "rewind.onboarding";
    public static final String ANOMALIES = "rewind.anomalies";
    public static final String PITR = "rewind.pitr";
    /** The SmallRye channel reading rewind.backups. */
    public static final String BACKUPS_CHANNEL = "backups";

    private Topics() {
    }
}
