package dev.rewind.e2e;

import dev.rewind.testing.LocalStack;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** What a DBA does with a dump Rewind wrote to S3: download it and restore it with myloader. */
final class Dumps {

    private Dumps() {
    }

    /** Downloads every object under an {@code s3://bucket/prefix/} path into a new local folder. */
    static Path download(String s3Path) throws Exception {
        String rest = s3Path.substring("s3://".length());
        String bucket = rest.substring(0, rest.indexOf('/'));
        String prefix = rest.substring(rest.indexOf('/') + 1);
        Path dir = Files.createTempDirectory("rewind-dump-");
        try (S3Client s3 = S3Client.builder().endpointOverride(URI.create(LocalStack.env("REWIND_S3_ENDPOINT")))
                .region(Region.of(LocalStack.env("REWIND_S3_REGION"))).forcePathStyle(true)
                .httpClient(ApacheHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        LocalStack.env("REWIND_S3_ACCESS_KEY"), LocalStack.env("REWIND_S3_SECRET_KEY"))))
                .build()) {
            for (S3Object o : s3.listObjectsV2Paginator(b -> b.bucket(bucket).prefix(prefix)).contents()) {
                try (InputStream in = s3.getObject(b -> b.bucket(bucket).key(o.key()))) {
                    Files.copy(in, dir.resolve(o.key().substring(prefix.length())));
                }
            }
        }
        return dir;
    }

    /** myloader restores the dump's {@code schema} into {@code into} on the source. */
    static void myloader(Sources source, Path dump, String schema, String into) throws Exception {
        Process p = new ProcessBuilder("myloader", "--host", source.host(), "--port", Integer.toString(source.port()),
                "--user", "root", "--password", LocalStack.env("REWIND_SOURCE_ROOT_PASSWORD"), "--directory", dump.toString(),
                "--source-db", schema, "--database", into, "--threads", "2").redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(120, TimeUnit.SECONDS) || p.exitValue() != 0 || output.contains("CRITICAL")) {
            throw new IllegalStateException("myloader failed: " + output);
        }
    }
}
