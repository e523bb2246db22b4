package distill4j.engine.loss;

import distill4j.engine.Grad;
import distill4j.engine.Ops;
import distill4j.engine.Tensor;

/**
 * Knowledge distillation, Hinton, Vinyals &amp; Dean (2015), "Distilling the Knowledge in a Neural
 * Network", §2.
 *
 * <p>A large "cumbersome" model (or an ensemble) is trained first. Its softmax at a high temperature T,
 * <pre>  p_i = exp(v_i / T) / Σ_j exp(v_j / T)          (v: teacher logits)  </pre>
 * gives soft targets that carry how the teacher generalises (which wrong classes are nearly right).
 * The small model is trained to match them with its own softmax at the same T,
 * <pre>  q_i = exp(z_i / T) / Σ_j exp(z_j / T)          (z: student logits)  </pre>
 * and, when labels are known, also to predict the true labels at T = 1. The loss is the weighted sum
 * <pre>  L = α · T² · CE(p, q)  +  (1 − α) · CE(y, softmax(z))  </pre>
 * averaged over the batch. The soft term's gradient is ∂CE/∂z_i = (1/T)(q_i − p_i), which shrinks as
 * 1/T² once T is large (then it equals (z_i − v_i)/(N·T²) for zero-mean logits: logit matching);
 * multiplying by T² keeps the two terms' relative weight unchanged when T changes. At test time the
 * student uses T = 1.
 *
 * <p>The paper found that a considerably lower weight on the hard term works best (α close to 1); it
 * does not give the value.
 */
public final class DistillationLoss {
    private final float alpha;
    private final float temperature;
    private final Reduction reduction;

    /** Weight α of the soft term (1 − α on the hard labels), temperature T; batch mean. */
    public DistillationLoss(double alpha, double temperature) {
        this(alpha, temperature, Reduction.BATCH_MEAN);
    }

    public DistillationLoss(double alpha, double temperature, Reduction reduction) {
        float a = (float) alpha, t = (float) temperature;
        if (!(a >= 0f && a <= 1f)) {
            throw new IllegalArgumentException("distillation: alpha (weight of the soft-target term) must be in [0, 1], got alpha = " + a);
        }
        Losses.checkTemperature("distillation", t);
        this.alpha = a;
        this.temperature = t;
        this.reduction = reduction;
    }

    public float alpha() {
        return alpha;
    }

    public float temperature() {
        return temperature;
    }

    /** The factor T² that keeps the soft term's gradient scale independent of T. */
    public float softTermScale() {
        return temperature * temperature;
    }

    /**
     * The constant that turns the soft term's cross-entropy into a KL divergence, for reporting:
     * <pre>  α · T² · H(p), reduced over the batch  </pre>
     * so {@code compute(z, p, y).item() − entropyOffset(p)} is α · T² · KL(p ‖ q) + (1 − α) · CE(y, q_1):
     * the same gradient, and 0 for the soft term at a perfect match. p (B, C); 0 when α = 0.
     */
    public double entropyOffset(Tensor teacherProbabilities) {
        if (alpha == 0f) return 0;
        double h = Losses.entropy(teacherProbabilities);
        int rows = teacherProbabilities.dim(0);
        // (α · T) · T in float, then · H / B in double
        float scale = alpha * temperature * temperature;
        return reduction == Reduction.BATCH_MEAN ? scale * h / rows : scale * h;
    }

    /** Soft targets p = softmax(v / T) from teacher logits v (B, C), computed without a graph. */
    @SuppressWarnings("try") // the scope object only restores the grad mode on close
    public Tensor softTargets(Tensor teacherLogits) {
        try (var g = Grad.disabled()) {
            return teacherLogits.softmax(temperature);
        }
    }

    /**
     * The distillation loss from the student's logits z (B, C), the teacher's soft targets p (B, C)
     * (probabilities at this T, e.g. {@link #softTargets} or an ensemble's) and the true labels y (B)
     * — labels may be null only when α = 1 (pure soft-target training).
     */
    public Tensor compute(Tensor studentLogits, Tensor teacherProbabilities, int[] labels) {
        if (alpha < 1f && labels == null) {
            throw new IllegalArgumentException("distillation: alpha = " + alpha + " gives the hard-label term weight "
                    + (1f - alpha) + " but no labels were given (use alpha = 1 for soft targets only)");
        }
        // soft term:  T² · CE(p, softmax(z / T))
        Tensor soft = alpha > 0f ? softTerm(studentLogits, teacherProbabilities) : null;
        // hard term:  CE(y, softmax(z)), at T = 1
        Tensor hard = alpha < 1f ? hardTerm(studentLogits, labels) : null;
        // L = α · T² · CE(p, q) + (1 − α) · CE(y, softmax(z))
        Tensor loss;
        if (hard == null) loss = soft;                     // α = 1
        else if (soft == null) loss = hard;                // α = 0
        else loss = soft.mul(alpha).add(hard.mul(1f - alpha));
        return Losses.checkFinite("distillation", loss);
    }

    /** The same loss from teacher logits v instead of probabilities: p = softmax(v / T) first. */
    public Tensor computeFromTeacherLogits(Tensor studentLogits, Tensor teacherLogits, int[] labels) {
        return compute(studentLogits, softTargets(teacherLogits), labels);
    }

    /** T² · CE(p, softmax(z / T)), reduced over the batch (without α). */
    public Tensor softTerm(Tensor studentLogits, Tensor teacherProbabilities) {
        String name = "distillation (soft term)";
        Losses.requireLogits(name, studentLogits);
        Losses.checkProbabilities(name, studentLogits, teacherProbabilities);
        Tensor ce = Ops.softmaxCrossEntropySoft(studentLogits, teacherProbabilities, temperature,
                reduction.factor(studentLogits.dim(0)));
        return Losses.checkFinite(name, ce.mul(softTermScale()));
    }

    /** CE(y, softmax(z)) at T = 1, reduced over the batch (without 1 − α). */
    public Tensor hardTerm(Tensor studentLogits, int[] labels) {
        String name = "distillation (hard term)";
        Losses.requireLogits(name, studentLogits);
        Tensor ce = Ops.softmaxCrossEntropyHard(studentLogits, labels, 1f, reduction.factor(studentLogits.dim(0)));
        return Losses.checkFinite(name, ce);
    }

    @Override
    public String toString() {
        return "DistillationLoss(alpha=" + alpha + ", T=" + temperature + ", " + reduction + ")";
    }
}
