package distill4j.engine.distill;

import distill4j.engine.Grad;
import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import distill4j.engine.loss.Losses;
import java.util.ArrayList;
import java.util.List;

/**
 * The soft targets of a teacher for a whole transfer set, computed once, in batches, without a graph:
 * the teacher's class probabilities at temperature T,
 * <pre>  p_i = exp(v_i / T) / Σ_j exp(v_j / T)          (v: teacher logits)  </pre>
 * Precomputing them is exact because the teacher is evaluated in eval mode (deterministic). From a
 * model ({@link #compute}) or from its logits computed earlier, e.g. cached on disk ({@link #fromLogits});
 * an ensemble's from its members' logits with {@link Ensemble#combine}.
 */
public final class SoftTargets {
    private SoftTargets() {}

    /** inputs (N, ...) -> probabilities (N, C) at temperature T, evaluated {@code batchSize} rows at a time. */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public static Tensor compute(Teacher teacher, Tensor inputs, double temperatureT, int batchSize) {
        float temperature = Losses.checkTemperature("softTargets", (float) temperatureT);
        if (batchSize <= 0) throw new IllegalArgumentException("softTargets: batch size must be > 0, got " + batchSize);
        if (inputs.rank() < 1 || inputs.dim(0) == 0) {
            throw new IllegalArgumentException("softTargets: needs a non-empty batch of inputs, got shape " + Shapes.str(inputs.shape()));
        }
        int n = inputs.dim(0);
        List<Tensor> parts = new ArrayList<>();
        try (var g = Grad.disabled()) {
            for (int from = 0; from < n; from += batchSize) {
                parts.add(teacher.softTargets(inputs.slice(from, Math.min(n, from + batchSize)), temperature));
            }
            return parts.size() == 1 ? parts.get(0) : Tensor.cat(parts);
        }
    }

    /** Teacher logits v (N, C) -> soft targets p (N, C) = softmax(v / T) per row, without a graph. */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public static Tensor fromLogits(Tensor logits, double temperatureT) {
        float temperature = Losses.checkTemperature("softTargets", (float) temperatureT);
        try (var g = Grad.disabled()) {
            return logits.softmax(temperature);
        }
    }
}
