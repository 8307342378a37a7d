package dev.rewind.backup.it;

import dev.rewind.testing.ServiceProcess;
import java.util.HashMap;
import java.util.Map;

/** The packaged backup-service run as a process ({@link ServiceProcess}), its worker instance id its name. */
final class BackupProcess {

    private BackupProcess() {
    }

    static ServiceProcess start(String name, Map<String, String> env) {
        Map<String, String> settings = new HashMap<>(env);
        settings.put("REWIND_BACKUP_WORKER_INSTANCE_ID", name);
        return ServiceProcess.launch(name, settings, "256m");
    }
}
