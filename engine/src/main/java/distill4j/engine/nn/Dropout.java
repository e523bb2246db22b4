package distill4j.engine.nn;

import distill4j.engine.Ops;
import distill4j.engine.Tensor;

/**
 * Inverted dropout: in training mode each element is zeroed with probability p and the survivors are
 * scaled by 1/(1 − p); in evaluation mode the input passes unchanged.
 *
 * <p>Masks come from Philox4x32-10 keyed by (seed, step, element index), identical on every backend.
 * The step counter starts at 0 and is incremented by every training-mode forward pass, so a run is
 * reproducible from the seed alone; (seed, step) is the whole random state, saved and resumed with
 * {@link #seed()}, {@link #step()}, {@link #setSeed(long)} and {@link #setStep(long)}.
 */
public final class Dropout extends Module {
    private final float p;
    private long seed;
    private long step;

    public Dropout(double p, long seed) {
        float pf = (float) p;
        if (!(pf >= 0f && pf < 1f)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1), got " + pf);
        }
        this.p = pf;
        this.seed = seed;
    }

    // x (any) -> same shape
    @Override
    public Tensor forward(Tensor x) {
        if (!isTraining() || p == 0f) return x;
        return Ops.dropout(x, p, seed, step++);
    }

    public float p() {
        return p;
    }

    public long seed() {
        return seed;
    }

    /** The step the next training forward pass will use. */
    public long step() {
        return step;
    }

    public void setStep(long step) {
        this.step = step;
    }

    /** Replaces the seed (restoring a checkpoint: the mask stream is the pair (seed, step)). */
    public void setSeed(long seed) {
        this.seed = seed;
    }

    @Override
    public String toString() {
        return "Dropout(p=" + p + ")";
    }
}
