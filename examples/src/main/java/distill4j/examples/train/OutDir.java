package distill4j.examples.train;

import distill4j.engine.Checkpoint;
import distill4j.engine.io.Json;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The output directory of a run ({@code --out}), checked before anything is trained: it must be a
 * directory (created if missing) that this process can write to. Temporary files that a killed
 * write left behind are removed.
 */
public final class OutDir {
    /** The tool's own atomic writes of results ({@code NAME.json.tmp} in {@code results/}). */
    private static final Pattern JSON_TEMPORARY = Pattern.compile(".+\\.json\\.tmp");

    private OutDir() {}

    /** Creates {@code dir} if needed, checks that it is a writable directory, and removes stale temporaries. */
    public static void prepare(Path dir, PrintStream log) throws IOException {
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IOException("--out " + dir + " is a file, not a directory; pass a directory for --out"
                    + " (it is created if missing), or move the file away");
        }
        try {
            Files.createDirectories(dir);
        } catch (FileSystemException e) {
            throw new IOException("--out " + dir + " cannot be created (" + reason(e) + " at " + e.getFile()
                    + "); pass a directory you can write to for --out", e);
        }
        Path probe;
        try {
            probe = Files.createTempFile(dir, ".distill4j-write-check", ".probe");
        } catch (IOException e) {
            throw new IOException("--out " + dir + " is not writable (" + reason(e) + "); make it writable"
                    + " (chmod u+w " + dir + ") or pass another --out", e);
        }
        Files.deleteIfExists(probe);
        int removed = removeStaleTemporaries(dir);
        if (removed > 0) {
            log.println("removed " + removed + " temporary file" + (removed == 1 ? "" : "s") + " left in " + dir
                    + " by an interrupted write");
        }
    }

    /**
     * Deletes the temporary files of interrupted atomic writes anywhere under {@code dir}; returns how
     * many. Two runs must not share an --out at the same time (this would delete the other's).
     */
    public static int removeStaleTemporaries(Path dir) throws IOException {
        // the engine's checkpoints and caches (Checkpoint knows its own temporary names)
        int removed = Checkpoint.removeStaleTemporaries(dir).size();
        List<Path> stale;
        try (Stream<Path> s = Files.walk(dir)) {
            stale = s.filter(Files::isRegularFile).filter(p -> JSON_TEMPORARY.matcher(p.getFileName().toString()).matches()).toList();
        }
        for (Path p : stale) Files.deleteIfExists(p);
        return removed + stale.size();
    }

    /** Writes {@code OUT/results/NAME.json} atomically (a killed write leaves only a temporary, removed by {@link #prepare}). */
    public static void saveResult(Path out, String name, Map<String, Object> result) throws IOException {
        Path dir = out.resolve("results");
        Files.createDirectories(dir);
        writeAtomically(dir.resolve(name + ".json"), Json.write(result));
    }

    /** Writes a text file through a temporary beside it and an atomic rename: readers see the old or the new file. */
    public static void writeAtomically(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        Files.writeString(tmp, text);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String reason(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof FileSystemException f && f.getReason() != null) return f.getReason();
        return e.getClass().getSimpleName() + (e.getMessage() != null ? ": " + e.getMessage() : "");
    }
}
