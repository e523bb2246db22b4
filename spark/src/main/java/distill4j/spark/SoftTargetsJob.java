package distill4j.spark;

import distill4j.engine.io.StateDict;
import distill4j.examples.data.Examples;
import distill4j.examples.train.Eval;
import distill4j.examples.train.LogitCache;
import distill4j.examples.train.Net;
import java.io.IOException;
import java.io.PrintStream;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.broadcast.Broadcast;

/**
 * Soft targets of a teacher or an ensemble over transfer sets, on Spark: the eval-mode logits of every
 * teacher on every example, written as the checksummed cache files the single-machine tool reads
 * ({@link LogitCache}), from which it takes soft targets at any T and ensemble means.
 *
 * <p>The teachers are broadcast once (their states as safetensors bytes, checksum checked on each
 * executor). Each transfer set is cut into partitions of whole {@link Eval#CHUNK}s of rows, one task per
 * partition; a task opens its set from shared storage ({@link TransferSet}), computes every teacher's
 * logits on its rows with {@link Eval#logits} (the same forward passes, on the same rows, as the
 * single-machine run: hence the same bits) and writes one checksummed part file per teacher under
 * {@code cacheDir/parts/}. A part already written is not recomputed, so a retried task or a rerun job
 * only does what is missing. The driver then joins the parts of each (teacher, set) in row order into
 * the cache file and removes them.
 */
public final class SoftTargetsJob {
    private SoftTargetsJob() {}

    /** One task: rows [from, to) of set {@code set}. */
    record Part(int set, int index, int from, int to) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /**
     * Writes the cache file of every (teacher, set) pair that lacks one. {@code sets} are opened on the
     * driver too (their sizes and fingerprints name the files); {@code rowsPerPartition} is rounded up to
     * whole chunks of {@link Eval#CHUNK} rows (0: about two partitions per core of the cluster). Returns
     * the number of tasks run.
     */
    public static int run(JavaSparkContext sc, List<Net> teachers, List<String> names, List<TransferSet> sets, Path cacheDir,
                          int rowsPerPartition, PrintStream log) throws IOException {
        return run(sc, teachers, names, sets, cacheDir, null, rowsPerPartition, log);
    }

    /**
     * The same with OUT on a Hadoop-compatible file system ({@code shared} not null; {@code cacheDir} is then the
     * driver's local OUT/cache): tasks write their part files locally and copy them to {@code shared}'s
     * cache/parts/, where a retried task finds them; the driver copies them in, joins them into its local cache
     * files and removes them from both places.
     */
    public static int run(JavaSparkContext sc, List<Net> teachers, List<String> names, List<TransferSet> sets, Path cacheDir,
                          SharedDir shared, int rowsPerPartition, PrintStream log) throws IOException {
        long t0 = System.nanoTime();
        List<Examples> local = new ArrayList<>();
        for (TransferSet s : sets) local.add(s.open());
        // what is missing: (teacher, set) pairs without a readable cache file of the right size
        List<Integer> pendingSets = new ArrayList<>();
        for (int j = 0; j < sets.size(); j++) {
            for (Net t : teachers) {
                if (!cached(LogitCache.file(t, local.get(j), cacheDir), local.get(j).count() * classes(t))) {
                    pendingSets.add(j);
                    break;
                }
            }
        }
        if (pendingSets.isEmpty()) {
            log.println("soft targets: every cache file is there already (" + cacheDir + ")");
            return 0;
        }
        List<Teacher> payload = new ArrayList<>();
        for (int i = 0; i < teachers.size(); i++) payload.add(Teacher.of(names.get(i), teachers.get(i)));
        Broadcast<List<Teacher>> bc = sc.broadcast(payload);
        long total = 0;
        for (int j : pendingSets) total += local.get(j).count();
        int rows = rowsPerPartition > 0 ? rowsPerPartition
                : (int) Math.max(1, total / Math.max(1, 2L * sc.defaultParallelism()));
        rows = (rows + Eval.CHUNK - 1) / Eval.CHUNK * Eval.CHUNK; // whole chunks: the same forward passes as one machine
        List<Part> parts = new ArrayList<>();
        for (int j : pendingSets) {
            int n = local.get(j).count();
            for (int from = 0, k = 0; from < n; from += rows, k++) parts.add(new Part(j, k, from, Math.min(n, from + rows)));
        }
        String dir = cacheDir.toString();
        List<TransferSet> setList = new ArrayList<>(sets);
        sc.parallelize(parts, parts.size()).foreach(p -> computePart(p, setList.get(p.set()), bc.value(), Path.of(dir), shared));
        if (shared != null) shared.pull("cache/parts", cacheDir.getParent());

        // the driver joins each (teacher, set)'s parts in row order into the cache file the single-machine tool reads
        for (int j : pendingSets) {
            Examples data = local.get(j);
            for (Net t : teachers) {
                int classes = classes(t);
                Path file = LogitCache.file(t, data, cacheDir);
                if (cached(file, data.count() * classes)) continue;
                float[] v = new float[data.count() * classes];
                List<Path> used = new ArrayList<>();
                for (Part p : parts) {
                    if (p.set() != j) continue;
                    Path pf = partFile(Path.of(dir), t.checksum(), data, p);
                    float[] z = StateDict.read(pf).array("logits").data();
                    if (z.length != (p.to() - p.from()) * classes) throw new IOException(pf + ": " + z.length + " logits, expected "
                            + (p.to() - p.from()) * classes);
                    System.arraycopy(z, 0, v, p.from() * classes, z.length);
                    used.add(pf);
                }
                LogitCache.write(file, t, data, v);
                for (Path pf : used) Files.deleteIfExists(pf);
            }
        }
        if (shared != null) shared.delete("cache/parts");
        bc.destroy();
        log.printf(Locale.ROOT, "soft targets: %d teachers × %d sets, %d tasks of ≤ %d rows, %.1f s%n", teachers.size(),
                pendingSets.size(), parts.size(), rows, (System.nanoTime() - t0) / 1e9);
        return parts.size();
    }

    // one task: every teacher's logits on rows [from, to) of its set, one checksummed part file each
    private static void computePart(Part p, TransferSet set, List<Teacher> teachers, Path cacheDir, SharedDir shared) throws IOException {
        Examples data = set.open();
        Rows rows = new Rows(data, p.from(), p.to());
        Path scratch = shared == null ? null : SharedDir.scratch("distill4j-part-");
        try {
            for (Teacher t : teachers) {
                Net net = t.net();
                Path pf = partFile(shared == null ? cacheDir : scratch.resolve("cache"), net.checksum(), data, p);
                String rel = "cache/parts/" + pf.getFileName();
                if (shared == null ? cached(pf, rows.count() * classes(net)) : shared.exists(rel)) continue;
                float[] z = Eval.logits(net, rows);
                Files.createDirectories(pf.getParent());
                StateDict.builder().array("logits", new int[] {rows.count(), classes(net)}, z).metadata("teacher", t.name())
                        .metadata("teacher_sha256", net.checksum()).metadata("data_sha256", data.fingerprint())
                        .metadata("rows", p.from() + ".." + p.to()).build().write(pf);
                if (shared != null) shared.push(scratch, rel);
            }
        } finally {
            SharedDir.removeLocal(scratch);
        }
    }

    static Path partFile(Path cacheDir, String teacherSha, Examples data, Part p) {
        return cacheDir.resolve("parts").resolve("logits-" + teacherSha.substring(0, 16) + "-" + data.fingerprint().substring(0, 16)
                + String.format(Locale.ROOT, ".part-%05d-%d-%d.safetensors", p.index(), p.from(), p.to()));
    }

    // a file that exists, passes its checksum and holds the expected number of logits
    private static boolean cached(Path file, int expected) throws IOException {
        if (!Files.exists(file)) return false;
        return StateDict.read(file).array("logits").data().length == expected;
    }

    private static int classes(Net net) { return net.sizes()[net.sizes().length - 1]; }
}
