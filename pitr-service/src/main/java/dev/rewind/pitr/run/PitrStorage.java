package dev.rewind.pitr.run;

import dev.rewind.pitr.config.PitrConfig;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The bucket as PITR runs use it: baselines (backup-service's dumps) are listed and streamed, run output is uploaded
 * and, when a run fails, removed. Every prefix is checked to lie in the tenant's and server's own folder first.
 * Blocking (the sync client): worker threads only.
 */
@ApplicationScoped
public class PitrStorage {

    private final PitrConfig.S3 config;
    private final S3Client s3;

    public PitrStorage(PitrConfig config) {
        this.config = config.s3();
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(this.config.endpoint()))
                .region(Region.of(this.config.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(this.config.accessKey(), this.config.secretKey())))
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
                // the manifest carries each file's SHA-256; no second checksum pass per object
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    /** {@code s3://bucket/prefix}. */
    public String uri(String prefix) {
        return "s3://" + config.bucket() + "/" + prefix;
    }

    /**
     * The key prefix of an {@code s3://} path of this bucket under {@code root/tenant/server/} ({@code root} is
     * {@code backups} or {@code pitr}).
     *
     * @throws IllegalStateException when the path lies anywhere else (another bucket, tenant or server, a path trick)
     */
    public String ownedPrefix(String s3Path, String root, String tenant, UUID serverId) {
        String head = "s3://" + config.bucket() + "/";
        String own = root + "/" + tenant + "/" + serverId + "/";
        String prefix = s3Path != null && s3Path.startsWith(head) ? s3Path.substring(head.length()) : null;
        if (prefix == null || !prefix.startsWith(own) || prefix.contains("..") || prefix.contains("//") || !prefix.endsWith("/")) {
            throw new IllegalStateException("the path " + s3Path + " is not inside " + head + own);
        }
        return prefix;
    }

    /** Objects under a prefix, by key. */
    public List<S3Object> list(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix)).contents().forEach(objects::add);
        return objects;
    }

    public InputStream open(String key) {
        return s3.getObject(b -> b.bucket(config.bucket()).key(key));
    }

    public byte[] read(String key) {
        return s3.getObjectAsBytes(b -> b.bucket(config.bucket()).key(key)).asByteArray();
    }

    public void upload(String key, Path file, String contentType) {
        s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType), RequestBody.fromFile(file));
    }

    /** Removes every object under a prefix; returns how many. */
    public int deleteAll(String prefix) {
        List<ObjectIdentifier> keys = list(prefix).stream().map(o -> ObjectIdentifier.builder().key(o.key()).build()).toList();
        for (int i = 0; i < keys.size(); i += 1000) {
            List<ObjectIdentifier> batch = keys.subList(i, Math.min(keys.size(), i + 1000));
            s3.deleteObjects(b -> b.bucket(config.bucket()).delete(Delete.builder().objects(batch).quiet(true).build()));
        }
        return keys.size();
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
