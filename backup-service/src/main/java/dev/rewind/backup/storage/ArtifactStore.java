package dev.rewind.backup.storage;

import dev.rewind.backup.config.BackupConfig;
import io.quarkus.logging.Log;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The S3 adapter: streams a backup's files up (multipart above the part size, hashing what it sends), lists and
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
                .httpClientBuilder(ApacheHttpClient.builder().maxConnections(16))
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

    /** What writes an object's bytes into the stream {@link #upload(String, String, ObjectWriter)} hands it. */
    @FunctionalInterface
    public interface ObjectWriter {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Uploads a file as it is, as {@code prefix + file name}. */
    public StoredFile upload(String prefix, Path file) throws IOException {
        String name = file.getFileName().toString();
        return upload(prefix + name, name, out -> Files.copy(file, out));
    }

    /**
     * Uploads what {@code writer} writes, streaming: parts of the part size go up as they fill (multipart when there
     * is more than one), the SHA-256 and size are taken from the same bytes. An open multipart upload is aborted
     * when anything fails.
     */
    public StoredFile upload(String key, String name, ObjectWriter writer) throws IOException {
        PartUploadStream out = new PartUploadStream(key);
        try {
            writer.writeTo(out);
            out.finish();
        } catch (IOException | RuntimeException e) {
            out.abort();
            throw e;
        }
        return new StoredFile(name, out.size, HexFormat.of().formatHex(out.sha.digest()));
    }

    /** Buffers one part at a time; the first full part starts a multipart upload, a single small object is one PUT. */
    private final class PartUploadStream extends OutputStream {

        private final String key;
        private final byte[] buffer = new byte[config.partSize()];
        private final MessageDigest sha = sha256();
        private final List<CompletedPart> parts = new ArrayList<>();
        private int filled;
        private long size;
        private String uploadId;

        PartUploadStream(String key) {
            this.key = key;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] bytes, int offset, int length) throws IOException {
            sha.update(bytes, offset, length);
            size += length;
            while (length > 0) {
                int n = Math.min(length, buffer.length - filled);
                System.arraycopy(bytes, offset, buffer, filled, n);
                filled += n;
                offset += n;
                length -= n;
                if (filled == buffer.length) {
                    uploadPart();
                }
            }
        }

        private void uploadPart() {
            if (uploadId == null) {
                uploadId = s3.createMultipartUpload(b -> b.bucket(config.bucket()).key(key)).uploadId();
            }
            int number = parts.size() + 1;
            long length = filled;
            String etag = s3.uploadPart(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId).partNumber(number)
                    .contentLength(length), RequestBody.fromBytes(Arrays.copyOf(buffer, filled))).eTag();
            parts.add(CompletedPart.builder().partNumber(number).eTag(etag).build());
            filled = 0;
        }

        void finish() {
            if (uploadId == null) {
                long length = filled;
                s3.putObject(b -> b.bucket(config.bucket()).key(key).contentLength(length),
                        RequestBody.fromBytes(Arrays.copyOf(buffer, filled)));
                return;
            }
            if (filled > 0) {
                uploadPart();
            }
            s3.completeMultipartUpload(b -> b.bucket(config.bucket()).key(key).uploadId(uploadId)
                    .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()));
        }

        void abort() {
            if (uploadId != null) {
                abortQuietly(key, uploadId);
            }
        }
    }

    /** Fails with S3's answer when the bucket cannot be reached with the configured endpoint and credentials. */
    public void checkBucket() {
        s3.headBucket(b -> b.bucket(config.bucket()));
    }

    /** Uploads bytes as one object (the manifest). */
    public void put(String key, byte[] bytes, String contentType) {
        s3.putObject(b -> b.bucket(config.bucket()).key(key).contentType(contentType).contentLength((long) bytes.length),
                RequestBody.fromBytes(bytes));
    }

    /** Downloads an object to a file; answers the SHA-256 (hex) of what arrived. */
    public String download(String key, Path target) throws IOException {
        MessageDigest sha = sha256();
        try (InputStream in = s3.getObject(b -> b.bucket(config.bucket()).key(key));
                OutputStream out = Files.newOutputStream(target)) {
            byte[] buffer = new byte[1 << 16];
            int n;
            while ((n = in.read(buffer)) > 0) {
                sha.update(buffer, 0, n);
                out.write(buffer, 0, n);
            }
        }
        return HexFormat.of().formatHex(sha.digest());
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
