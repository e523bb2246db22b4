package distill4j.examples.train;

/**
 * Learning rate and momentum per epoch (epochs counted from 0), the dropout paper's schedule
 * (Hinton et al. 2012, appendix A.1) with its constants as parameters:
 * <pre>
 *   lr(e)       = lr0 · decay^e
 *   momentum(e) = μ0 + (μ1 − μ0) · min(e / rampEpochs, 1)
 * </pre>
 * A constant schedule is decay = 1, μ0 = μ1.
 */
public record Schedule(float lr0, float decay, float momentumStart, float momentumEnd, int rampEpochs) {
    public Schedule {
        if (!(lr0 > 0)) throw new IllegalArgumentException("schedule: learning rate " + lr0 + " must be > 0");
        if (!(decay > 0 && decay <= 1)) throw new IllegalArgumentException("schedule: decay " + decay + " not in (0, 1]");
        if (!(momentumStart >= 0 && momentumStart < 1 && momentumEnd >= 0 && momentumEnd < 1)) {
            throw new IllegalArgumentException("schedule: momentum " + momentumStart + " → " + momentumEnd + " not in [0, 1)");
        }
    }

    public static Schedule constant(float lr, float momentum) { return new Schedule(lr, 1f, momentum, momentum, 1); }

    public float lr(int epoch) { return (float) (lr0 * Math.pow(decay, epoch)); }

    public float momentum(int epoch) {
        double f = rampEpochs <= 0 ? 1 : Math.min(1.0, (double) epoch / rampEpochs);
        return (float) (momentumStart + (momentumEnd - momentumStart) * f);
    }
}
