package distill4j.engine.loss;

import distill4j.engine.Ops;
import distill4j.engine.Shapes;
import distill4j.engine.Tensor;
import java.util.Arrays;

/**
 * The losses of the toolkit, each a scalar tensor with an explicit {@link Reduction} over the batch
 * (rows). Logits are (batch, classes); probability targets are (batch, classes) rows summing to 1.
 *
 * <p>Every loss checks its value: a NaN or infinite loss throws an {@link ArithmeticException} naming
 * the loss and the usual causes, instead of silently poisoning the parameters.
 */
public final class Losses {
    /** How far a probability row may sum from 1 (float32 softmax outputs sum to 1 within ~1e-6·classes). */
    static final double PROBABILITY_SUM_TOLERANCE = 1e-3;

    private Losses() {}

    /** Cross-entropy with hard labels, batch mean: (1/B) Σ_b −log softmax(z_b)_{y_b}. */
    public static Tensor crossEntropy(Tensor logits, int[] labels) {
        return crossEntropy(logits, labels, Reduction.BATCH_MEAN);
    }

    // logits z (B, C), labels y (B) -> Σ_b −log softmax(z_b)_{y_b}, reduced
    public static Tensor crossEntropy(Tensor logits, int[] labels, Reduction reduction) {
        requireLogits("crossEntropy", logits);
        Tensor loss = Ops.softmaxCrossEntropyHard(logits, labels, 1f, reduction.factor(logits.dim(0)));
        return checkFinite("crossEntropy", loss);
    }

    // logits z (B, C), targets p (B, C) -> Σ_b −Σ_j p_bj log softmax(z_b / T)_j, reduced
    /** Cross-entropy against soft targets at temperature T, CE(p, softmax(z/T)); no T² factor here. */
    public static Tensor softCrossEntropy(Tensor logits, Tensor targets, double temperatureT, Reduction reduction) {
        float temperature = (float) temperatureT;
        checkTemperature("softCrossEntropy", temperature);
        requireLogits("softCrossEntropy", logits);
        checkProbabilities("softCrossEntropy", logits, targets);
        Tensor loss = Ops.softmaxCrossEntropySoft(logits, targets, temperature, reduction.factor(logits.dim(0)));
        return checkFinite("softCrossEntropy", loss);
    }

    /**
     * KL divergence KL(p ‖ q) with q = softmax(z/T), reduced over the batch (BATCH_MEAN is the true
     * KL per example, not PyTorch's per-element "mean"):
     * <pre>  KL = Σ_b Σ_j p_bj (log p_bj − log q_bj) = CE(p, q) − H(p)  </pre>
     * with 0 · log 0 = 0. H(p) does not depend on z, so the gradient is CE's, (1/T)(q − p) per example.
     */
    public static Tensor klDivergence(Tensor studentLogits, Tensor targets, double temperatureT, Reduction reduction) {
        float temperature = (float) temperatureT;
        checkTemperature("klDivergence", temperature);
        requireLogits("klDivergence", studentLogits);
        checkProbabilities("klDivergence", studentLogits, targets);
        float scale = reduction.factor(studentLogits.dim(0));
        // Σ p log p, the negative entropy of the targets, a constant
        double negEntropy = -entropy(targets);
        Tensor ce = Ops.softmaxCrossEntropySoft(studentLogits, targets, temperature, scale);
        Tensor kl = ce.add((float) (scale * negEntropy));
        return checkFinite("klDivergence", kl);
    }

    /**
     * Logit matching (Caruana; Ba &amp; Caruana 2014), the high-temperature limit of distillation:
     * <pre>  L = Σ_b ½ ‖z_b − v_b‖²  </pre>
     * reduced over the batch (BATCH_MEAN: the mean over examples of the per-example sum over classes).
     * Gradient: (z − v) per example (divided by B for BATCH_MEAN).
     */
    public static Tensor logitMatching(Tensor studentLogits, Tensor teacherLogits, Reduction reduction) {
        requireLogits("logitMatching", studentLogits);
        if (!Arrays.equals(studentLogits.shape(), teacherLogits.shape())) {
            throw new IllegalArgumentException("logitMatching: shapes " + Shapes.str(studentLogits.shape()) + " and "
                    + Shapes.str(teacherLogits.shape()) + " do not match (student and teacher logits must agree)");
        }
        Tensor d = studentLogits.sub(teacherLogits);
        Tensor loss = d.mul(d).sum().mul(0.5f * reduction.factor(studentLogits.dim(0)));
        return checkFinite("logitMatching", loss);
    }

    /**
     * Cosine embedding loss between hidden states (DistilBERT's alignment term), 1 − cos per example:
     * <pre>  L = Σ_b (1 − s_b·t_b / (‖s_b‖ ‖t_b‖))  </pre>
     * reduced over the batch; s, t (B, H). Norms are clamped below at 1e-8.
     */
    public static Tensor cosineEmbedding(Tensor student, Tensor teacher, Reduction reduction) {
        if (student.rank() != 2 || !Arrays.equals(student.shape(), teacher.shape())) {
            throw new IllegalArgumentException("cosineEmbedding: shapes " + Shapes.str(student.shape()) + " and "
                    + Shapes.str(teacher.shape()) + " do not match (expected two (batch, hidden) tensors)");
        }
        Tensor cos = Ops.cosineSimilarityRows(student, teacher, 1e-8f);
        Tensor loss = cos.neg().add(1f).sum().mul(reduction.factor(student.dim(0)));
        return checkFinite("cosineEmbedding", loss);
    }

    // ------------------------------------------------------------------ validation

    /**
     * The one check of a distillation temperature: T finite and &gt; 0. Every class that takes a T
     * (losses, soft targets, the softmax ops, tools) calls this; {@code where} names the caller in the message.
     */
    public static float checkTemperature(String where, float t) {
        if (!(t > 0f) || Float.isInfinite(t)) {
            throw new IllegalArgumentException(where + ": temperature T must be finite and > 0, got T = " + t);
        }
        return t;
    }

    /**
     * The entropy of target distributions, summed over the rows (not reduced):
     * <pre>  H = − Σ_b Σ_j p_bj log p_bj  </pre>
     * with 0 · log 0 = 0, accumulated in double. KL(p ‖ q) = CE(p, q) − H(p)/B for BATCH_MEAN.
     */
    public static double entropy(Tensor targets) {
        // Σ p log p, accumulated in the order of the data
        double negEntropy = 0;
        for (float p : targets.data()) if (p > 0f) negEntropy += p * Math.log(p);
        return -negEntropy;
    }

    /** Targets: same shape as the logits, entries in [0, 1], rows summing to 1. */
    static void checkProbabilities(String loss, Tensor logits, Tensor targets) {
        if (!Arrays.equals(logits.shape(), targets.shape())) {
            throw new IllegalArgumentException(loss + ": shapes " + Shapes.str(logits.shape()) + " and "
                    + Shapes.str(targets.shape()) + " do not match (logits and target probabilities must agree)");
        }
        int rows = logits.dim(0), cols = logits.dim(1);
        float[] p = targets.data();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) {
                float v = p[r * cols + j];
                if (!(v >= 0f && v <= 1f)) {
                    throw new IllegalArgumentException(loss + ": target " + v + " at row " + r + ", class " + j
                            + " is not a probability (pass the teacher's softmax, not its logits)");
                }
                s += v;
            }
            if (Math.abs(s - 1.0) > PROBABILITY_SUM_TOLERANCE) {
                throw new IllegalArgumentException(loss + ": target row " + r + " sums to " + s + ", not 1");
            }
        }
    }

    /** Throws if the loss is NaN or infinite. */
    static Tensor checkFinite(String loss, Tensor value) {
        float v = value.item();
        if (Float.isNaN(v) || Float.isInfinite(v)) {
            throw new ArithmeticException(loss + ": the loss is " + v + "; the inputs contain NaN or infinite values "
                    + "(a diverged model: try a lower learning rate, check the inputs for NaN, or a missing max-norm constraint)");
        }
        return value;
    }

    static void requireLogits(String loss, Tensor logits) {
        if (logits.rank() != 2 || logits.dim(0) == 0 || logits.dim(1) == 0) {
            throw new IllegalArgumentException(loss + ": logits must be a non-empty (batch, classes) tensor, got shape "
                    + Shapes.str(logits.shape()));
        }
    }
}
