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
        Path file = cacheDir.resolve("logits-" + net.checksum().substring(0, 16) + "-" + data.fingerprint().substring(0, 16) + ".safetensors");
        if (Files.exists(file)) {
            StateDict s = StateDict.read(file);
            float[] v = s.array("logits").data();
            if (v.length == data.count() * classes) return v;
        }
        float[] v = Eval.logits(net, data);
        Files.createDirectories(cacheDir);
        StateDict.builder().array("logits", new int[] {data.count(), classes}, v)
                .metadata("teacher_sha256", net.checksum()).metadata("data", data.toString())
                .metadata("data_sha256", data.fingerprint()).build().write(file);
        return v;
    }
}
