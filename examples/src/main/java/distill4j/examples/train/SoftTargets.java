package distill4j.examples.train;

import distill4j.engine.Grad;
import distill4j.engine.Tensor;
import distill4j.engine.distill.Ensemble;
import distill4j.engine.io.StateDict;
import distill4j.examples.mnist.Dataset;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Soft targets (Hinton et al. 2015, §2): the teacher's class probabilities at a raised temperature,
 * p_i = exp(v_i / T) / Σ_j exp(v_j / T). The teacher's logits v over a transfer set are computed once
 * and cached on disk, keyed by the teacher's checksum and the data's fingerprint; soft targets at any T
 * (and for any subset) are derived from them.
 *
 * <p>Ensembles combine their members' distributions at temperature T by
 * <ul>
 *   <li>the arithmetic mean: p = (1/M) Σ_m softmax(v_m / T)</li>
 *   <li>the geometric mean, renormalised: p ∝ Π_m softmax(v_m / T)^(1/M), which equals
 *       softmax(((1/M) Σ_m v_m) / T) because log-softmax differs from v/T by a per-row constant.</li>
 * </ul>
 */
public final class SoftTargets {
    private SoftTargets() {}

    /** Eval-mode logits of {@code net} on {@code data} (count, classes), from the cache or computed and cached. */
    public static float[] teacherLogits(Net net, Dataset data, Path cacheDir) throws IOException {
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

    /** p (rows, classes) = softmax(v / T) per row. */
    public static float[] atTemperature(float[] logits, int classes, float temperature) {
        try (var g = Grad.disabled()) {
            return Tensor.of(logits.clone(), logits.length / classes, classes).softmax(temperature).data();
        }
    }

    /** The soft targets at T of an ensemble whose members' logits are given, combined as asked (the engine's {@link Ensemble}). */
    public static float[] ensemble(List<float[]> memberLogits, int classes, float temperature, Ensemble.Combine how) {
        List<Tensor> logits = new java.util.ArrayList<>();
        for (float[] v : memberLogits) logits.add(Tensor.of(v.clone(), v.length / classes, classes));
        return Ensemble.combine(how, logits, temperature).data();
    }

    /** Rows {@code indices} of a (n, classes) array. */
    public static float[] rows(float[] all, int classes, int[] indices) {
        float[] out = new float[indices.length * classes];
        for (int k = 0; k < indices.length; k++) System.arraycopy(all, indices[k] * classes, out, k * classes, classes);
        return out;
    }
}
