package distill4j.engine.optim;

/**
 * A value (learning rate, momentum) as a function of the epoch, counted from 0. Apply it once per
 * epoch, e.g. {@code sgd.setLearningRate(lr.at(epoch)); sgd.setMomentum(mu.at(epoch));}.
 */
@FunctionalInterface
public interface Schedule {
    float at(int epoch);

    static Schedule constant(double value) {
        return epoch -> (float) value;
    }

    /** v0 · γ^epoch; the dropout paper: lr 10 · 0.998^epoch. */
    static Schedule exponential(double v0, double gamma) {
        return epoch -> (float) (v0 * Math.pow(gamma, epoch));
    }

    /**
     * Linear from {@code from} at epoch 0 to {@code to} at epoch {@code epochs}, then constant; the
     * dropout paper's momentum: 0.5 → 0.99 over the first 500 epochs.
     */
    static Schedule linear(double from, double to, int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("Schedule.linear: epochs must be > 0, got " + epochs);
        return epoch -> (float) (epoch >= epochs ? to : from + (to - from) * epoch / epochs);
    }

    /** v0 · γ^⌊epoch / stepSize⌋. */
    static Schedule step(double v0, double gamma, int stepSize) {
        if (stepSize <= 0) throw new IllegalArgumentException("Schedule.step: stepSize must be > 0, got " + stepSize);
        return epoch -> (float) (v0 * Math.pow(gamma, epoch / stepSize));
    }

    /** Cosine annealing from v0 at epoch 0 to vMin at epoch {@code epochs}, then vMin. */
    static Schedule cosine(double v0, double vMin, int epochs) {
        if (epochs <= 0) throw new IllegalArgumentException("Schedule.cosine: epochs must be > 0, got " + epochs);
        return epoch -> (float) (epoch >= epochs ? vMin : vMin + 0.5 * (v0 - vMin) * (1 + Math.cos(Math.PI * epoch / epochs)));
    }
}
