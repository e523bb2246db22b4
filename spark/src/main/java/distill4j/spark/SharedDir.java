package distill4j.spark;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.LocatedFileStatus;

/**
 * OUT on a Hadoop-compatible file system ({@code hdfs://}, {@code s3a://}, {@code file://}, ...) for code that
 * writes through {@code java.nio.file}: the single-machine code runs on a local working directory, and
 * this copies files between it and the shared directory. Each copy goes to a temporary name and is then
 * renamed, so a reader never sees half a file; the files themselves carry the engine's checksums.
 * The Hadoop configuration is the default one of the JVM it runs in (core-site.xml / HADOOP_CONF_DIR on a
 * cluster's nodes).
 */
public final class SharedDir implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String uri;

    SharedDir(String uri) {
        this.uri = uri.endsWith("/") ? uri.substring(0, uri.length() - 1) : uri;
    }

    /** True for a URI with a scheme (hdfs://..., file:///...), false for a plain local path. */
    static boolean isUri(String out) {
        int c = out.indexOf("://");
        return c >= 2 && out.substring(0, c).chars().allMatch(ch -> Character.isLetterOrDigit(ch) || ch == '+' || ch == '-' || ch == '.');
    }

    String uri() { return uri; }

    private org.apache.hadoop.fs.Path remote(String rel) {
        return new org.apache.hadoop.fs.Path(rel.isEmpty() ? uri : uri + "/" + rel);
    }

    private FileSystem fs() throws IOException {
        return FileSystem.get(URI.create(uri), new Configuration());
    }

    /** Removes {@code rel} (a file or a whole directory) from the shared directory, if it is there. */
    void delete(String rel) throws IOException {
        FileSystem fs = fs();
        if (fs.exists(remote(rel))) fs.delete(remote(rel), true);
    }

    boolean exists(String rel) throws IOException {
        return fs().exists(remote(rel));
    }

    /** {@code args} with the value of {@code --out} replaced by {@code out} (or {@code --out out} added). */
    static String[] withOut(String[] args, String out) {
        List<String> a = new java.util.ArrayList<>(List.of(args));
        int i = a.indexOf("--out");
        if (i >= 0 && i + 1 < a.size()) a.set(i + 1, out);
        else a.addAll(List.of("--out", out));
        return a.toArray(new String[0]);
    }

    /** The value of {@code --out} in a command line, or null. */
    static String out(String[] args) {
        for (int i = 0; i + 1 < args.length; i++) if (args[i].equals("--out")) return args[i + 1];
        return null;
    }

    /** A fresh local directory for one task's files, removed by {@link #removeLocal}. */
    static Path scratch(String prefix) throws IOException {
        return Files.createTempDirectory(prefix);
    }

    static void removeLocal(Path dir) throws IOException {
        if (dir == null || !Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
        }
    }

    /** Copies every file under {@code rel} (a directory or a file) of the shared directory to the same place under {@code local}; returns how many. */
    int pull(String rel, Path local) throws IOException {
        FileSystem fs = fs();
        org.apache.hadoop.fs.Path root = remote(rel);
        if (!fs.exists(root)) return 0;
        int n = 0;
        String base = fs.makeQualified(remote("")).toUri().getPath();
        RemoteIterator<LocatedFileStatus> it = fs.listFiles(root, true);
        while (it.hasNext()) {
            LocatedFileStatus st = it.next();
            String path = st.getPath().toUri().getPath();
            String r = path.substring(base.length()).replaceFirst("^/", "");
            if (r.contains(".tmp-")) continue; // another writer's copy in progress
            Path target = local.resolve(r);
            Files.createDirectories(target.getParent());
            Path tmp = target.resolveSibling(target.getFileName() + ".pull-tmp");
            try (InputStream in = fs.open(st.getPath())) {
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
            }
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            n++;
        }
        return n;
    }

    /** Copies the local file {@code local/rel} to {@code rel} in the shared directory (temporary name, then rename). */
    void push(Path local, String rel) throws IOException {
        FileSystem fs = fs();
        org.apache.hadoop.fs.Path target = remote(rel);
        org.apache.hadoop.fs.Path tmp = new org.apache.hadoop.fs.Path(target.getParent(), target.getName() + ".tmp-" + System.nanoTime());
        fs.mkdirs(target.getParent());
        try (OutputStream out = fs.create(tmp, true)) {
            Files.copy(local.resolve(rel), out);
        }
        if (fs.exists(target)) fs.delete(target, false);
        if (!fs.rename(tmp, target)) throw new IOException("could not rename " + tmp + " to " + target);
    }

    /** Pushes every file under {@code local/rel} whose size or modification time changed since {@code seen} recorded it. */
    int pushChanged(Path local, String rel, Map<String, String> seen) throws IOException {
        Path dir = local.resolve(rel);
        if (!Files.exists(dir)) return 0;
        List<Path> files;
        try (Stream<Path> s = Files.walk(dir)) {
            files = s.filter(Files::isRegularFile).filter(p -> !p.getFileName().toString().contains(".tmp")).sorted().toList();
        }
        int n = 0;
        for (Path f : files) {
            String r = local.relativize(f).toString().replace('\\', '/');
            String stamp;
            try {
                stamp = Files.size(f) + "@" + Files.getLastModifiedTime(f).toMillis();
            } catch (java.nio.file.NoSuchFileException gone) {
                continue; // replaced while listing: the next pass takes the new one
            }
            if (stamp.equals(seen.get(r))) continue;
            push(local, r);
            seen.put(r, stamp);
            n++;
        }
        return n;
    }

    /**
     * While open, pushes the files under {@code local/rel} that changed, every {@code periodMillis} (the trainer
     * writes a checkpoint each epoch by an atomic rename, so each push is a whole checkpoint); close() pushes once more.
     */
    AutoCloseable mirror(Path local, String rel, long periodMillis) {
        Map<String, String> seen = new HashMap<>();
        // stopped by a latch, not by an interrupt: an interrupt inside the file system's I/O can be swallowed
        // (the thread then never ends) or leave a copy half done, so close() waits for the copy in progress
        java.util.concurrent.CountDownLatch stop = new java.util.concurrent.CountDownLatch(1);
        Thread t = new Thread(() -> {
            try {
                while (!stop.await(periodMillis, java.util.concurrent.TimeUnit.MILLISECONDS)) {
                    try {
                        synchronized (seen) { pushChanged(local, rel, seen); }
                    } catch (IOException e) {
                        System.err.println("distill4j-spark: could not copy to " + uri + ": " + e.getMessage() + " (trying again)");
                    }
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "distill4j-mirror");
        t.setDaemon(true);
        t.start();
        return () -> {
            stop.countDown();
            t.join();
            synchronized (seen) { pushChanged(local, rel, seen); }
        };
    }
}
