package distill4j.examples.train;

/**
 * What a student is trained to match — the loss of Hinton et al. (2015), §2, batch mean:
 * <pre>
 *   L = α · T² · CE(p_T, q_T) + (1 − α) · CE(y, q_1)
 *   q_T = softmax(z / T)  (student),  p_T = soft targets (teacher's softmax at the same T)
 * </pre>
 * The T² factor keeps the soft term's gradient, (1/T)(q_T − p_T) per logit, on the scale of the hard
 * term's as T changes. Hard labels only: α = 0. Soft targets only: α = 1. The soft term is reported as
 * KL(p_T ‖ q_T) = CE(p_T, q_T) − H(p_T): the same gradient, but 0 at a perfect match.
 */
public record Targets(float alpha, float temperature) {
    public Targets {
        if (!(alpha >= 0 && alpha <= 1)) throw new IllegalArgumentException("targets: alpha " + alpha + " not in [0, 1]");
        if (!(temperature > 0) || !Float.isFinite(temperature)) {
            throw new IllegalArgumentException("targets: temperature T = " + temperature + " must be finite and > 0");
        }
    }

    /** Ordinary training on the true labels. */
    public static Targets hard() { return new Targets(0f, 1f); }

    /** Soft targets at temperature T, plus weight (1 − α) on the true labels. */
    public static Targets distill(float temperature, float alpha) { return new Targets(alpha, temperature); }

    public boolean usesSoft() { return alpha > 0; }
    public boolean usesHard() { return alpha < 1; }

    /** One batch: labels (rows) if the hard term is used, soft targets (rows, classes) if the soft one is. */
    public record Batch(Targets targets, int[] labels, float[] soft) {}
}
