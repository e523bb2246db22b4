package distill4j.examples.train;

import distill4j.engine.loss.DistillationLoss;

/**
 * What a student is trained to match — the loss of Hinton et al. (2015), §2, batch mean, computed by
 * the engine's {@link DistillationLoss}:
 * <pre>
 *   L = α · T² · CE(p_T, q_T) + (1 − α) · CE(y, q_1)
 *   q_T = softmax(z / T)  (student),  p_T = soft targets (teacher's softmax at the same T)
 * </pre>
 * Hard labels only: α = 0. Soft targets only: α = 1. α and T are checked once, by the engine's loss.
 * The record's text ({@code Targets[alpha=…, temperature=…]}) is part of each run's configuration key.
 */
public record Targets(float alpha, float temperature) {
    public Targets {
        loss(alpha, temperature); // the engine validates α ∈ [0, 1] and T finite and > 0
    }

    private static DistillationLoss loss(float alpha, float temperature) {
        return new DistillationLoss(alpha, temperature);
    }

    /** Ordinary training on the true labels. */
    public static Targets hard() { return new Targets(0f, 1f); }

    /** Soft targets at temperature T, plus weight (1 − α) on the true labels. */
    public static Targets distill(float temperature, float alpha) { return new Targets(alpha, temperature); }

    /** The engine's loss for these targets. */
    public DistillationLoss loss() { return loss(alpha, temperature); }

    public boolean usesSoft() { return alpha > 0; }
    public boolean usesHard() { return alpha < 1; }

    /** One batch: labels (rows) if the hard term is used, soft targets (rows, classes) if the soft one is. */
    public record Batch(Targets targets, int[] labels, float[] soft) {}
}
