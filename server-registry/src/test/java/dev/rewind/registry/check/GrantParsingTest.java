package dev.rewind.registry.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** How SHOW GRANTS lines of MariaDB and MySQL 8 are read (the live servers are covered by ConnectionCheckTest). */
class GrantParsingTest {

    private static Set<String> global(String... lines) {
        Set<String> all = new HashSet<>();
        for (String line : lines) {
            all.addAll(ConnectionCheck.globalPrivileges(line));
        }
        return all;
    }

    @Test
    void allPrivilegesOnEverythingCoversEveryGrant() {
        Set<String> granted = global("GRANT ALL PRIVILEGES ON *.* TO `root`@`%` IDENTIFIED BY PASSWORD '*81F5E21E35407D884A6CD4A731AEBFB6AF209E1B' WITH GRANT OPTION");
        assertEquals(List.of(), ConnectionCheck.missingGrants(granted, true));
    }

    @Test
    void grantsOnOneSchemaOrToPublicDoNotCountAsGlobal() {
        Set<String> granted = global(
                "GRANT USAGE ON *.* TO `app`@`%`",
                "GRANT SELECT, REPLICATION SLAVE ON `shop`.* TO `app`@`%`",
                "GRANT SELECT (`id`) ON `shop`.`orders` TO `app`@`%`");
        assertEquals(List.of("SELECT", "REPLICATION SLAVE", "REPLICATION CLIENT"), ConnectionCheck.missingGrants(granted, false));
    }

    @Test
    void mariaDbNamesReplicationClientBinlogMonitor() {
        Set<String> granted = global("GRANT SELECT, RELOAD, REPLICATION SLAVE, BINLOG MONITOR ON *.* TO `rewind`@`%`");
        assertEquals(List.of(), ConnectionCheck.missingGrants(granted, true));
        assertEquals(List.of("BINLOG MONITOR (REPLICATION CLIENT)"),
                ConnectionCheck.missingGrants(global("GRANT SELECT, REPLICATION SLAVE ON *.* TO `x`@`%`"), true));
    }

    @Test
    void roleGrantsAndDynamicPrivilegesAreReadWithoutError() {
        Set<String> granted = global("GRANT `reporting`@`%` TO `app`@`%`", "GRANT BACKUP_ADMIN ON *.* TO `app`@`%`",
                "GRANT SELECT, REPLICATION SLAVE, REPLICATION CLIENT ON *.* TO `app`@`%`");
        assertEquals(List.of(), ConnectionCheck.missingGrants(granted, false));
    }
}
