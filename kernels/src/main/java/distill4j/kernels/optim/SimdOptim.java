package distill4j.kernels.optim;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.Checks;
import distill4j.kernels.elementwise.SimdElementwise;

import jdk.incubator.vector.FloatVector;

/** Optimizer updates vectorised: SGD (momentum, dampening, Nesterov, weight decay), Adam, max-norm rows. */
public final class SimdOptim implements OptimKernels {

    // w, g, v (n): g' = g + wd w; v = μ v + (1 − d) g'; w −= lr (nesterov ? g' + μ v : v)
    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov) {
        Checks.vectors("sgdUpdate", n, "w", w, "g", g);
        if (v != null) Checks.vectors("sgdUpdate", n, "v", v, "v", v);
        Checks.sgdVelocity(v, momentum);
        float d1 = 1f - dampening;
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector wi = FloatVector.fromArray(F, w, i);
            FloatVector gi = FloatVector.fromArray(F, g, i).add(wi.mul(weightDecay));
            if (v == null) {
                wi.sub(gi.mul(lr)).intoArray(w, i);
                continue;
            }
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(momentum).add(gi.mul(d1));
            vi.intoArray(v, i);
            FloatVector step = nesterov ? gi.add(vi.mul(momentum)) : vi;
            wi.sub(step.mul(lr)).intoArray(w, i);
        }
        for (; i < n; i++) {
            float gi = g[i] + weightDecay * w[i];
            if (v == null) {
                w[i] -= lr * gi;
                continue;
            }
            float vi = momentum * v[i] + d1 * gi;
            v[i] = vi;
            w[i] -= lr * (nesterov ? gi + momentum * vi : vi);
        }
    }

    // w, g, m, v (n), step t ≥ 1:
    // g' = g + wd w; m = β1 m + (1 − β1) g'; v = β2 v + (1 − β2) g'²; w −= lr m̂ / (sqrt(v̂) + ε)
    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                           float eps, float weightDecay, long t) {
        Checks.vectors("adamUpdate", n, "w", w, "g", g);
        Checks.vectors("adamUpdate", n, "m", m, "v", v);
        Checks.adamStep(t);
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        float stepScale = (float) (lr / bc1);      // lr · m / bc1 = lr · m̂
        float invBc2 = (float) (1.0 / bc2);
        float b1c = 1f - beta1, b2c = 1f - beta2;
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector wi = FloatVector.fromArray(F, w, i);
            FloatVector gi = FloatVector.fromArray(F, g, i).add(wi.mul(weightDecay));
            FloatVector mi = FloatVector.fromArray(F, m, i).mul(beta1).add(gi.mul(b1c));
            FloatVector vi = FloatVector.fromArray(F, v, i).mul(beta2).add(gi.mul(gi).mul(b2c));
            mi.intoArray(m, i);
            vi.intoArray(v, i);
            FloatVector denom = vi.mul(invBc2).sqrt().add(eps);
            wi.sub(mi.mul(stepScale).div(denom)).intoArray(w, i);
        }
        for (; i < n; i++) {
            float gi = g[i] + weightDecay * w[i];
            m[i] = beta1 * m[i] + b1c * gi;
            v[i] = beta2 * v[i] + b2c * gi * gi;
            double mHat = m[i] / bc1;
            double vHat = v[i] / bc2;
            w[i] -= (float) (lr * mHat / (Math.sqrt(vHat) + eps));
        }
    }

    // w (rows, cols): each row (one unit's incoming weights) rescaled to L2 norm ≤ maxNorm
    @Override
    public void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        Checks.matrices("maxNormRows", rows, cols, "w", w, "w", w);
        Checks.maxNorm(maxNorm);
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double norm = Math.sqrt(SimdElementwise.sumOfSquares(w, o, cols));
            if (norm > maxNorm) {
                float s = (float) (maxNorm / norm);
                int j = 0;
                for (; j < bound; j += LANES) FloatVector.fromArray(F, w, o + j).mul(s).intoArray(w, o + j);
                for (; j < cols; j++) w[o + j] *= s;
            }
        }
    }
}
