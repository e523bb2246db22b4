package distill4j.kernels.optim;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.ELEMENTWISE_PARALLEL_MIN;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.Checks;
import distill4j.kernels.elementwise.SimdElementwise;
import distill4j.kernels.simd.RangeTask;

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
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (SGD) {
                SGD.set(w, g, v, lr, momentum, dampening, weightDecay, nesterov, n);
                boolean ran = SGD.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                SGD.clear();
                if (ran) return;
            }
        }
        sgdRange(n, w, g, v, lr, momentum, dampening, weightDecay, nesterov, 0, n);
    }

    // elements [i0, i1) of the SGD update; i0 a multiple of LANES (each element as in a one-thread call)
    static void sgdRange(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                         float weightDecay, boolean nesterov, int i0, int i1) {
        float d1 = 1f - dampening;
        int bound = Math.min(F.loopBound(n), i1);
        int i = i0;
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
        for (; i < i1; i++) {
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

    /** The pool job of a large SGD update (arguments in fields: no allocation per call). */
    private static final class SgdPass extends RangeTask {
        float[] w, g, v;
        float lr, momentum, dampening, weightDecay;
        boolean nesterov;
        int n;

        void set(float[] w, float[] g, float[] v, float lr, float momentum, float dampening, float weightDecay,
                 boolean nesterov, int n) {
            this.w = w;
            this.g = g;
            this.v = v;
            this.lr = lr;
            this.momentum = momentum;
            this.dampening = dampening;
            this.weightDecay = weightDecay;
            this.nesterov = nesterov;
            this.n = n;
        }

        void clear() {
            w = g = v = null;
        }

        @Override
        protected void range(int from, int to) {
            sgdRange(n, w, g, v, lr, momentum, dampening, weightDecay, nesterov, from, to);
        }
    }

    private static final SgdPass SGD = new SgdPass();

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
        if ((long) rows * cols >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (MAX_NORM) {
                MAX_NORM.w = w;
                MAX_NORM.cols = cols;
                MAX_NORM.maxNorm = maxNorm;
                boolean ran = MAX_NORM.runOnPool(rows, 1, 2);
                MAX_NORM.w = null;
                if (ran) return;
            }
        }
        maxNormRowRange(w, cols, maxNorm, 0, rows);
    }

    // rows [r0, r1): each row's norm and rescaling exactly as in a one-thread call
    static void maxNormRowRange(float[] w, int cols, float maxNorm, int r0, int r1) {
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
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

    private static final class MaxNormPass extends RangeTask {
        float[] w;
        int cols;
        float maxNorm;

        @Override
        protected void range(int from, int to) {
            maxNormRowRange(w, cols, maxNorm, from, to);
        }
    }

    private static final MaxNormPass MAX_NORM = new MaxNormPass();
}
