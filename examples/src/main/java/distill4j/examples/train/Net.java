package distill4j.examples.train;

import distill4j.engine.io.StateDict;

/**
 * What the MNIST experiments need from a model: a ReLU MLP classifier that takes training steps on a
 * batch with the distillation loss, gives eval-mode logits, and saves/restores its complete training
 * state (parameters, optimizer buffers, dropout step counter) so a resumed run continues bit for bit.
 */
public interface Net {
    /**
     * Training options that are part of the model: dropout on inputs and hidden units, max-norm of each
     * hidden unit's incoming weights (0 = none), the (1 − μ) gradient scaling of the dropout paper
     * (SGD dampening = momentum), and the seed of initial weights and dropout masks.
     */
    record Options(float dropoutInput, float dropoutHidden, float maxNorm, boolean dampenByMomentum, long seed) {
        public Options {
            if (!(dropoutInput >= 0 && dropoutInput < 1)) throw new IllegalArgumentException("dropout on inputs " + dropoutInput + " not in [0, 1)");
            if (!(dropoutHidden >= 0 && dropoutHidden < 1)) throw new IllegalArgumentException("dropout on hidden units " + dropoutHidden + " not in [0, 1)");
            if (!(maxNorm >= 0)) throw new IllegalArgumentException("max-norm " + maxNorm + " must be ≥ 0 (0 = none)");
        }

        public static Options plain(long seed) { return new Options(0f, 0f, 0f, false, seed); }
    }

    /** Layer sizes, e.g. {784, 1200, 1200, 10}. */
    int[] sizes();

    /** Eval-mode (no dropout) logits: x (rows, in) → out (rows, classes). */
    void logits(float[] x, int rows, float[] out);

    /**
     * One optimizer step on a batch x (rows, in) with the loss of {@link Targets} (batch mean);
     * returns that loss, and writes the training-mode logits (rows, classes) into {@code logitsOut}
     * when it is not null.
     */
    double trainStep(float[] x, int rows, Targets.Batch targets, float lr, float momentum, float[] logitsOut);

    /** Everything needed to resume: parameters, momentum buffers, counters. */
    StateDict state();

    /** Restores a state written by {@link #state()} of a net of the same sizes. */
    void load(StateDict state);

    /** SHA-256 over the parameters (not optimizer state): names caches of this model's outputs. */
    String checksum();
}
