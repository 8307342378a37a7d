package dev.rewind.pitr.support;

import dev.rewind.pitr.reconstruct.DumpMetadata;
import dev.rewind.pitr.run.PitrStorage;
import dev.rewind.testing.LocalStack;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Takes a baseline the way backup-service does: mydumper (the same options) of one schema, every {@code .sql} file
 * gzip-compressed, uploaded to {@code backups/{tenant}/{server}/{date}/{time}/}, and {@code backup.completed}
 * published with the dump's binlog position.
 */
public final class Baselines {

    private Baselines() {
    }

    /** A baseline in S3 and announced on rewind.backups. */
    public record Baseline(UUID backupId, String s3Path, DumpMetadata metadata, OffsetDateTime completedAt) {
    }

    public static Baseline take(PitrStorage storage, Sources source, ServerRegistryStub.Connection server, String schema)
            throws Exception {
        return take(storage, source, server, new String[] {schema});
    }

    /** A baseline of several databases. */
    public static Baseline take(PitrStorage storage, Sources source, ServerRegistryStub.Connection server, String... schemas)
            throws Exception {
        List<String> which = schemas.length == 1 ? List.of("--database", schemas[0])
                : List.of("--regex", "^(" + String.join("|", schemas) + ")\\.");
        Path dir = Files.createTempDirectory("pitr-baseline-");
        try {
            Path out = dir.resolve("dump");
            List<String> args = new ArrayList<>(List.of("mydumper", "--host", source.host(), "--port",
                    Integer.toString(source.port()), "--user", "root", "--password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"),
                    "--outputdir", out.toString(), "--threads", "2", "--triggers", "--events", "--routines"));
            args.addAll(which);
            Process p = new ProcessBuilder(args).redirectErrorStream(true).redirectOutput(dir.resolve("mydumper.log").toFile()).start();
            if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IllegalStateException("mydumper failed: " + Files.readString(dir.resolve("mydumper.log")));
            }
            DumpMetadata metadata = DumpMetadata.parse(Files.readString(out.resolve("metadata")));
            OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
            String prefix = "backups/" + server.tenant() + "/" + server.serverId() + "/"
                    + DateTimeFormatter.ofPattern("yyyy-MM-dd/HHmmss").format(now) + "-" + UUID.randomUUID().toString().substring(0, 6) + "/";
            try (Stream<Path> files = Files.list(out)) {
                for (Path f : files.toList()) {
                    String name = f.getFileName().toString();
                    if (name.endsWith(".sql")) {
                        Path gz = dir.resolve(name + ".gz");
                        try (InputStream in = Files.newInputStream(f); OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
                            in.transferTo(o);
                        }
                        storage.upload(prefix + name + ".gz", gz, "application/gzip");
                    } else {
                        storage.upload(prefix + name, f, "text/plain");
                    }
                }
            }
            UUID backupId = UUID.randomUUID();
            String s3Path = storage.uri(prefix);
            OffsetDateTime completed = OffsetDateTime.now(ZoneOffset.UTC);
            ServerEvents.backupCompleted(backupId, server.serverId(), server.tenant(), completed, s3Path,
                    metadata.binlogFile(), metadata.binlogPosition(), metadata.gtidSet());
            return new Baseline(backupId, s3Path, metadata, completed);
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted((a, b) -> b.compareTo(a)).toList()) {
                    Files.deleteIfExists(p);
                }
            } catch (IOException e) {
                // a temp folder: the OS cleans it eventually
            }
        }
    }

    /** Keys of the objects of a PITR output, relative to its prefix. */
    public static List<String> names(PitrStorage storage, String prefix) {
        return storage.list(prefix).stream().map(o -> o.key().substring(prefix.length())).sorted().toList();
    }
}
