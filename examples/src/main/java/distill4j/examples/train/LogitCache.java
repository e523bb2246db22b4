package distill4j.examples.train;

import distill4j.engine.io.StateDict;
import distill4j.examples.data.Examples;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A teacher's eval-mode logits over a transfer set, computed once and cached on disk, keyed by the
 * teacher's checksum and the data's fingerprint. The tool's only concern here is the cache: soft
 * targets at any T, of any subset, and ensembles are computed from these logits by the engine
 * ({@link distill4j.engine.distill.SoftTargets#fromLogits}, {@link distill4j.engine.distill.Ensemble#combine}).
 */
public final class LogitCache {
    private LogitCache() {}

    /** Eval-mode logits of {@code net} on {@code data} (count, classes), from the cache or computed and cached. */
    public static float[] teacherLogits(Net net, Examples data, Path cacheDir) throws IOException {
        int classes = net.sizes()[net.sizes().length - 1];
        Path file = file(net, data, cacheDir);
        if (Files.exists(file)) {
            StateDict s = StateDict.read(file);
            float[] v = s.array("logits").data();
            if (v.length == data.count() * classes) return v;
        }
        float[] v = Eval.logits(net, data);
        write(file, net, data, v);
        return v;
    }

    /** The cache file of {@code net}'s logits on {@code data}: logits-(net sha)-(data sha).safetensors, 16 hex digits each. */
    public static Path file(Net net, Examples data, Path cacheDir) {
        return cacheDir.resolve("logits-" + net.checksum().substring(0, 16) + "-" + data.fingerprint().substring(0, 16) + ".safetensors");
    }

    /**
     * Writes logits v (data.count, classes) of {@code net} on {@code data} as the cache file {@link #teacherLogits}
     * reads (atomically, with the engine's checksum); for tools that compute them elsewhere (the Spark job).
     */
    public static void write(Path file, Net net, Examples data, float[] v) throws IOException {
        int classes = net.sizes()[net.sizes().length - 1];
        if (v.length != data.count() * classes) {
            throw new IllegalArgumentException(file + ": " + v.length + " logits for " + data.count() + " examples × " + classes + " classes");
        }
        Files.createDirectories(file.getParent());
        StateDict.builder().array("logits", new int[] {data.count(), classes}, v)
                .metadata("teacher_sha256", net.checksum()).metadata("data", data.toString())
                .metadata("data_sha256", data.fingerprint()).build().write(file);
    }
}
