package distill4j.kernels.optim;

import distill4j.kernels.Checks;

/** Reference optimizer updates: SGD (momentum, dampening, Nesterov, weight decay), Adam, max-norm. */
public final class ScalarOptim implements OptimKernels {

    // w, g, v (n): g' = g + wd w; v = μ v + (1 − d) g'; w −= lr (nesterov ? g' + μ v : v)
    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum,
                                 float dampening, float weightDecay, boolean nesterov) {
        Checks.vectors("sgdUpdate", n, "w", w, "g", g);
        if (v != null) Checks.vectors("sgdUpdate", n, "v", v, "v", v);
        Checks.sgdVelocity(v, momentum);
        for (int i = 0; i < n; i++) {
            float gi = g[i] + weightDecay * w[i];
            if (v == null) {
                w[i] -= lr * gi;
                continue;
            }
            float vi = momentum * v[i] + (1f - dampening) * gi;
            v[i] = vi;
            w[i] -= lr * (nesterov ? gi + momentum * vi : vi);
        }
    }

    // w, g, m, v (n), step t ≥ 1
    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1,
                                  float beta2, float eps, float weightDecay, long t) {
        Checks.vectors("adamUpdate", n, "w", w, "g", g);
        Checks.vectors("adamUpdate", n, "m", m, "v", v);
        Checks.adamStep(t);
        double bc1 = 1.0 - Math.pow(beta1, t);
        double bc2 = 1.0 - Math.pow(beta2, t);
        for (int i = 0; i < n; i++) {
            float gi = g[i] + weightDecay * w[i];
            m[i] = beta1 * m[i] + (1f - beta1) * gi;
            v[i] = beta2 * v[i] + (1f - beta2) * gi * gi;
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
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double sq = 0;
            for (int j = 0; j < cols; j++) sq += (double) w[o + j] * w[o + j];
            double norm = Math.sqrt(sq);
            if (norm > maxNorm) {
                float s = (float) (maxNorm / norm);
                for (int j = 0; j < cols; j++) w[o + j] *= s;
            }
        }
    }
}
