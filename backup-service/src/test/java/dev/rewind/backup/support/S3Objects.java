package dev.rewind.backup.support;

import dev.rewind.testing.LocalStack;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/** The bucket as an outside reader sees it: its own S3 client, not the service's. */
public final class S3Objects {

    public static final S3Client S3 = S3Client.builder()
            .endpointOverride(URI.create(LocalStack.env("REWIND_S3_ENDPOINT")))
            .region(Region.of(LocalStack.env("REWIND_S3_REGION")))
            .forcePathStyle(true)
            .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                    LocalStack.env("REWIND_S3_ACCESS_KEY"), LocalStack.env("REWIND_S3_SECRET_KEY"))))
            .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
            .build();

    public static final String BUCKET = LocalStack.env("REWIND_S3_BUCKET");

    private S3Objects() {
    }

    public static String keyOf(String s3Path) {
        return s3Path.substring(("s3://" + BUCKET + "/").length());
    }

    public static List<S3Object> list(String prefix) {
        return S3.listObjectsV2Paginator(b -> b.bucket(BUCKET).prefix(prefix)).contents().stream().toList();
    }

    /** A gzip object's text (UTF-8). */
    public static String gunzipped(String key) throws java.io.IOException {
        try (java.util.zip.GZIPInputStream in = new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(get(key)))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public static byte[] get(String key) {
        return S3.getObjectAsBytes(b -> b.bucket(BUCKET).key(key)).asByteArray();
    }

    public static void put(String key, String content) {
        S3.putObject(b -> b.bucket(BUCKET).key(key), RequestBody.fromString(content));
    }

    /** Downloads every object under the prefix into a folder (names relative to the prefix). */
    public static void download(String prefix, Path folder) throws Exception {
        Files.createDirectories(folder);
        for (S3Object object : list(prefix)) {
            Files.write(folder.resolve(object.key().substring(prefix.length())), get(object.key()));
        }
    }
}
