package dev.rewind.backup.storage;

import dev.rewind.backup.config.BackupConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 adapter: uploads a backup's files (multipart above the part size, hashing while it reads), lists and
 * removes what lies under a backup's prefix. Blocking (the sync client): call it on a worker thread.
 */
@ApplicationScoped
public class ArtifactStore {

    private final BackupConfig.S3 config;
    private final S3Client s3;

    public ArtifactStore(BackupConfig config) {
        this.config = config.s3();
        this.s3 = S3Client.builder()
                .endpointOverride(URI.create(this.config.endpoint()))
                .region(Region.of(this.config.region()))
                .forcePathStyle(true)
                .credentialsProvider(StaticCredentialsProvider.create(
                        AwsBasicCredentials.create(this.config.accessKey(), this.config.secretKey())))
                .httpClientBuilder(UrlConnectionHttpClient.builder())
                // the manifest carries each file's SHA-256 computed here; no second (CRC) checksum pass per upload
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public String bucket() {
        return config.bucket();
    }

    /** {@code s3://bucket/prefix}. */
    public String uri(String prefix) {
        return "s3://" + config.bucket() + "/" + prefix;
    }

    /** The key prefix of an {@code s3://bucket/...} URI of this bucket, or null when it names another bucket. */
    public String prefixOf(String s3Uri) {
        String head = "s3://" + config.bucket() + "/";
        return s3Uri != null && s3Uri.startsWith(head) ? s3Uri.substring(head.length()) : null;
    }

    /**
     * The key prefix of a backup's artifacts, checked to lie inside its own tenant and server folder: a stored path
     * that points anywhere else (another bucket, another tenant, a path trick) is refused, never deleted.
     *
     * @throws IllegalStateException naming the refused path
     */
    public String ownedPrefix(String s3Path, String tenant, java.util.UUID serverId) {
        String prefix = prefixOf(s3Path);
        String home = "backups/" + tenant + "/" + serverId + "/";
        if (prefix == null || !prefix.startsWith(home) || prefix.length() == home.length() || !prefix.endsWith("/")
                || prefix.contains("..") || prefix.contains("//") || prefix.contains("\\")) {
            throw new IllegalStateException("refusing to touch " + s3Path + ": not a backup folder under s3://"
                    + config.bucket() + "/" + home);
        }
        return prefix;
    }

    /** Uploads one file as {@code prefix + file name}; answers its size and SHA-256 read in the same pass. */
    public StoredFile upload(String prefix, Path file) throws IOException {
        String key = prefix + file.getFileName();
        long size = Files.size(file);
        MessageDigest sha = sha256();
        if (size <= config.partSize()) {
            byte[] bytes = Files.readAllBytes(file);
            sha.update(bytes);
            s3.putObject(b -> b.bucket(config.bucket()).key(key).contentLength((long) bytes.length), RequestBody.fromBytes(bytes));
        } else {
            multipart(key, file, sha);
        }
        return new StoredFile(file.getFileName().toString(), size, HexFormat.of().formatHex(sha.digest()));
    }

    /** Uploads bytes as one object (the manifest). */
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType).contentLength((long) bytes.length),
                RequestBody.fromBytes(bytes));
    }

    private void multipart(String key, Path file, MessageDigest sha) throws IOException {
        String uploadId = s3.createMultipartUpload(b -> b.bucket(config.bucket()).key(key)).uploadId();
        List<CompletedPart> parts = new ArrayList<>();
        byte[] buffer = new byte[config.partSize()];
        try (InputStream in = Files.newInputStream(file)) {
            int partNumber = 1;
            int n;
            while ((n = in.readNBytes(buffer, 0, buffer.length)) > 0) {
                sha.update(buffer, 0, n);
                int number = partNumber++;
                long length = n;
                String etag = s3.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)
                        .partNumber(number).contentLength(length), RequestBody.fromBytes(java.util.Arrays.copyOf(buffer, n))).eTag();
                parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            }
            s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        } catch (IOException | RuntimeException e) {
            abortQuietly(key, uploadId);
            throw e;
        }
    }

    /** Keys under a prefix. */
    public List<S3Object> list(String prefix) {
        List<S3Object> objects = new ArrayList<>();
        s3.listObjectsV2Paginator(b -> b.bucket(config.bucket()).prefix(prefix)).contents().forEach(objects::add);
        return objects;
    }

    /** Removes every object under the prefix and aborts the multipart uploads left open there; answers the objects removed. */
    public int deleteAll(String prefix) {
        int removed = 0;
        List<ObjectIdentifier> batch = new ArrayList<>();
        for (S3Object object : list(prefix)) {
            batch.add(ObjectIdentifier.builder().key(object.key()).build());
            if (batch.size() == 1000) {
                removed += delete(batch);
                batch.clear();
            }
        }
        removed += delete(batch);
        for (MultipartUpload upload : s3.listMultipartUploads(b -> b.bucket(config.bucket()).prefix(prefix)).uploads()) {
            abortQuietly(upload.key(), upload.uploadId());
        }
        return removed;
    }

    private int delete(List<ObjectIdentifier> batch) {
        if (batch.isEmpty()) {
            return 0;
        }
        List<ObjectIdentifier> keys = List.copyOf(batch);
        s3.deleteObjects(b -> b.bucket(config.bucket()).delete(Delete.builder().objects(keys).quiet(true).build()));
        return keys.size();
    }

    private void abortQuietly(String key, String uploadId) {
        try {
            s3.abortMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId));
        } catch (RuntimeException e) {
            Log.warnf("could not abort the multipart upload of %s: %s", key, e.getMessage());
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @PreDestroy
    void close() {
        s3.close();
    }
}
