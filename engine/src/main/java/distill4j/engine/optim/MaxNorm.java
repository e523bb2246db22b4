package distill4j.engine.optim;

import distill4j.engine.nn.Linear;
import distill4j.engine.nn.Module;
import distill4j.kernels.Backends;
import java.util.ArrayList;
import java.util.List;

/**
 * Max-norm constraint (Hinton et al. 2012, Srivastava et al. 2014): after each step, every unit's
 * incoming weight vector — a row of a Linear weight (out, in) — with L2 norm above c is rescaled to
 * norm c. The dropout paper's MNIST teacher bounds the <em>squared</em> length by 15, i.e.
 * c = √15 ({@link #fromSquaredLength}).
 */
public final class MaxNorm implements Constraint {
    private final List<Linear> layers;
    private final float maxNorm;

    public MaxNorm(List<Linear> layers, double bound) {
        float c = (float) bound;
        if (!(c > 0f) || Float.isInfinite(c)) {
            throw new IllegalArgumentException("MaxNorm: the bound c must be finite and > 0, got " + c);
        }
        this.layers = List.copyOf(layers);
        this.maxNorm = c;
    }

    /** On every Linear layer of the model. */
    public static MaxNorm onLinearWeights(Module model, double maxNorm) {
        return new MaxNorm(linears(model, false), maxNorm);
    }

    /** On the hidden layers only (every Linear but the last, the output layer). */
    public static MaxNorm onHiddenLayers(Module model, double maxNorm) {
        return new MaxNorm(linears(model, true), maxNorm);
    }

    /** c = √(squared length), e.g. 15 in the dropout paper. */
    public static float fromSquaredLength(double squaredLength) {
        return (float) Math.sqrt(squaredLength);
    }

    private static List<Linear> linears(Module model, boolean dropLast) {
        List<Linear> out = new ArrayList<>();
        for (Module m : model.modules()) if (m instanceof Linear) out.add((Linear) m);
        if (dropLast && !out.isEmpty()) out.remove(out.size() - 1);
        return out;
    }

    public float bound() {
        return maxNorm;
    }

    @Override
    public void apply() {
        for (Linear l : layers) {
            if (l.weight.isOnDevice()) {
                l.weight.device().maxNormRows(l.weight.deviceArray(), l.outFeatures(), l.inFeatures(), maxNorm);
            } else {
                Backends.get().optim().maxNormRows(l.weight.data(), l.outFeatures(), l.inFeatures(), maxNorm);
            }
        }
    }
}
