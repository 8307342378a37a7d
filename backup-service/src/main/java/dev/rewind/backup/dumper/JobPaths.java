package dev.rewind.backup.dumper;

import java.nio.file.Path;

/** Paths below a job's folder built from names the job did not choose (the source's, a stored file's). */
public final class JobPaths {

    private JobPaths() {
    }

    /**
     * {@code folder/name}, checked to stay inside {@code folder}.
     *
     * @throws DumpFailed when the name would lead outside it ({@code ..}, {@code /}, an absolute path)
     */
    public static Path inside(Path folder, String name) {
        Path base = folder.toAbsolutePath().normalize();
        Path resolved = base.resolve(name).normalize();
        if (name.isEmpty() || name.indexOf('\0') >= 0 || !resolved.startsWith(base) || resolved.equals(base)
                || !resolved.getParent().equals(base)) {
            throw new DumpFailed("The name " + name + " would lead outside the job's folder");
        }
        return resolved;
    }
}
