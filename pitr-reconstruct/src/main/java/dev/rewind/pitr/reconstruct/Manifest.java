package dev.rewind.pitr.reconstruct;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * Every file of a written dump with its size and SHA-256 (hex), as stored in {@code manifest.json}:
 * <pre>{"format": "mydumper", "file_count": 5, "total_bytes": 1234,
 *  "files": [{"name": "metadata", "size_bytes": 154, "sha256": "…"}, …]}</pre>
 * The manifest does not list itself.
 */
public record Manifest(List<Entry> files) {
    public static final String FILE_NAME = "manifest.json";

    public record Entry(String name, long sizeBytes, String sha256) {
    }

    public Manifest {
        files = List.copyOf(files);
    }

    public long totalBytes() {
        return files.stream().mapToLong(Entry::sizeBytes).sum();
    }

    public int fileCount() {
        return files.size();
    }

    public String toJson() {
        ObjectMapper m = new ObjectMapper();
        ObjectNode root = m.createObjectNode();
        root.put("format", "mydumper");
        root.put("file_count", fileCount());
        root.put("total_bytes", totalBytes());
        ArrayNode arr = root.putArray("files");
        for (Entry e : files) {
            arr.addObject().put("name", e.name()).put("size_bytes", e.sizeBytes()).put("sha256", e.sha256());
        }
        return root.toPrettyString() + "\n";
    }
}
