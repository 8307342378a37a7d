package dev.rewind.commons.messaging;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import org.eclipse.microprofile.config.Config;

/**
 * How a Kafka client of ours authenticates, read the way Quarkus reads its {@code kafka.*} configuration (a property
 * {@code kafka.sasl.jaas.config}, or an environment variable {@code KAFKA_SASL_JAAS_CONFIG}): the
 * {@code security.protocol}, {@code sasl.*} and {@code ssl.*} settings. The channels of SmallRye Reactive Messaging
 * get them from Quarkus; the clients we create ourselves (the outbox relay, pitr-service's ownership consumer) take
 * them from here, so a broker with SCRAM or mTLS (production) is reached by every client alike.
 */
public final class KafkaSecurity {

    private KafkaSecurity() {
    }

    /** The security settings, keyed as the Kafka clients name them. */
    public static Map<String, String> settings(Config config) {
        Map<String, String> settings = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            String key = clientKey(name);
            if (key != null) {
                config.getOptionalValue(name, String.class).ifPresent(value -> settings.put(key, value));
            }
        }
        return settings;
    }

    /** {@code kafka.sasl.mechanism} and {@code KAFKA_SASL_MECHANISM} are {@code sasl.mechanism}; other names null. */
    static String clientKey(String propertyName) {
        String lower = propertyName.toLowerCase(Locale.ROOT);
        if (!lower.startsWith("kafka.") && !lower.startsWith("kafka_")) {
            return null;
        }
        String key = lower.substring("kafka.".length()).replace('_', '.');
        return key.equals("security.protocol") || key.startsWith("sasl.") || key.startsWith("ssl.") ? key : null;
    }
}
