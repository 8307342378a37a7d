package dev.rewind.pitr.reconstruct;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/** One data file of a baseline, opened on demand (a local file, or an S3 object stream). */
public interface DataFile {

    /** The file name, e.g. {@code shop.orders.00001.sql.gz} (for messages). */
    String name();

    /** A fresh stream of the file's bytes (gzip or plain: detected by the reader). */
    InputStream open() throws IOException;

    static DataFile of(Path path) {
        return new DataFile() {
            @Override
            public String name() {
                return path.getFileName().toString();
            }

            @Override
            public InputStream open() throws IOException {
                return Files.newInputStream(path);
            }

            @Override
            public String toString() {
                return path.toString();
            }
        };
    }
}
