package dev.rewind.commons.messaging;

import static org.junit.jupiter.api.Assertions.*;

import org.junit.jupiter.api.Test;

/** The clients we create ourselves read Kafka's security settings as Quarkus does, from properties or the environment. */
class KafkaSecurityTest {

    @Test
    void propertiesAndEnvironmentVariablesNameTheSameSettings() {
        assertEquals("sasl.jaas.config", KafkaSecurity.clientKey("KAFKA_SASL_JAAS_CONFIG"));
        assertEquals("sasl.mechanism", KafkaSecurity.clientKey("kafka.sasl.mechanism"));
        assertEquals("security.protocol", KafkaSecurity.clientKey("KAFKA_SECURITY_PROTOCOL"));
        assertEquals("ssl.truststore.location", KafkaSecurity.clientKey("KAFKA_SSL_TRUSTSTORE_LOCATION"));
    }

    @Test
    void onlySecuritySettingsAreTaken() {
        assertNull(KafkaSecurity.clientKey("KAFKA_BOOTSTRAP_SERVERS"), "the clients set their own bootstrap servers");
        assertNull(KafkaSecurity.clientKey("kafka.group.id"));
        assertNull(KafkaSecurity.clientKey("KAFKA_HOME"));
        assertNull(KafkaSecurity.clientKey("REWIND_SASL_THING"));
    }
}
