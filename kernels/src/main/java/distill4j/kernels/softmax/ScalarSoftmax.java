package distill4j.kernels.softmax;

import distill4j.kernels.Checks;

/**
 * Reference softmax with temperature, log-softmax, and the fused softmax + cross-entropy.
 *
 * <p>Stability: every row is shifted by its maximum before exponentiation, z/T − max/T ≤ 0, so
 * exp never overflows; log q_j = (z_j − max)/T − log Σ exp((z_k − max)/T) never takes the log of an
 * underflowed probability. This holds for logits of magnitude 1e4 and T from 0.05 to 100.
 */
public final class ScalarSoftmax implements SoftmaxKernels {

    // x (rows, cols) -> y (rows, cols), y = softmax(x / T) per row
    @Override
    public void softmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        Checks.matrices("softmaxForward", rows, cols, "x", x, "y", y);
        Checks.temperature("softmaxForward", t);
        float invT = 1f / t;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            double sum = 0;
            for (int j = 0; j < cols; j++) {
                float e = (float) Math.exp((x[o + j] - max) * invT);
                y[o + j] = e;
                sum += e;
            }
            float inv = (float) (1.0 / sum);
            for (int j = 0; j < cols; j++) y[o + j] *= inv;
        }
    }

    // y = softmax output (rows, cols), dy (rows, cols) -> dx = y (dy - <dy, y>) / T
    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t,
                                       boolean accumulate) {
        Checks.matrices("softmaxBackward", rows, cols, "y", y, "dy", dy);
        Checks.matrices("softmaxBackward", rows, cols, "dx", dx, "dx", dx);
        Checks.temperature("softmaxBackward", t);
        float invT = 1f / t;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double dot = 0;
            for (int j = 0; j < cols; j++) dot += (double) dy[o + j] * y[o + j];
            for (int j = 0; j < cols; j++) {
                float v = (float) (y[o + j] * (dy[o + j] - dot) * invT);
                dx[o + j] = accumulate ? dx[o + j] + v : v;
            }
        }
    }

    // x (rows, cols) -> y = log_softmax(x / T) per row
    @Override
    public void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        Checks.matrices("logSoftmaxForward", rows, cols, "x", x, "y", y);
        Checks.temperature("logSoftmaxForward", t);
        float invT = 1f / t;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            float logSum = logSumExpShifted(x, o, cols, max, invT);
            for (int j = 0; j < cols; j++) y[o + j] = (x[o + j] - max) * invT - logSum;
        }
    }

    // y = log-softmax output, dy -> dx = (dy - exp(y) Σ dy) / T
    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t,
                                          boolean accumulate) {
        Checks.matrices("logSoftmaxBackward", rows, cols, "y", y, "dy", dy);
        Checks.matrices("logSoftmaxBackward", rows, cols, "dx", dx, "dx", dx);
        Checks.temperature("logSoftmaxBackward", t);
        float invT = 1f / t;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double s = 0;
            for (int j = 0; j < cols; j++) s += dy[o + j];
            for (int j = 0; j < cols; j++) {
                float v = (float) ((dy[o + j] - Math.exp(y[o + j]) * s) * invT);
                dx[o + j] = accumulate ? dx[o + j] + v : v;
            }
        }
    }

    // logits (rows, cols), labels (rows) -> Σ_rows −log q_label; grad = scale (1/T)(q − onehot)
    @Override
    public double softmaxCrossEntropyHard(float[] z, int[] labels, float[] grad, int rows, int cols,
                                                 float t, float gradScale) {
        Checks.matrices("softmaxCrossEntropyHard", rows, cols, "logits", z, "grad", grad == null ? z : grad);
        Checks.temperature("softmaxCrossEntropyHard", t);
        float invT = 1f / t;
        Checks.labels("softmaxCrossEntropyHard", labels, rows, cols);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int label = labels[r];
            float max = rowMax(z, o, cols);
            float logSum = logSumExpShifted(z, o, cols, max, invT);
            // −log q_label = log Σ exp((z − max)/T) − (z_label − max)/T
            loss += logSum - (z[o + label] - max) * invT;
            if (grad != null) {
                float g = gradScale * invT;
                for (int j = 0; j < cols; j++) {
                    float q = (float) Math.exp((z[o + j] - max) * invT - logSum);
                    grad[o + j] = g * (q - (j == label ? 1f : 0f));
                }
            }
        }
        return loss;
    }

    // logits (rows, cols), targets p (rows, cols) -> Σ_rows −Σ_j p_j log q_j; grad = scale (1/T)(q − p)
    @Override
    public double softmaxCrossEntropySoft(float[] z, float[] p, float[] grad, int rows, int cols,
                                                 float t, float gradScale) {
        Checks.matrices("softmaxCrossEntropySoft", rows, cols, "logits", z, "targets", p);
        if (grad != null) Checks.matrices("softmaxCrossEntropySoft", rows, cols, "grad", grad, "grad", grad);
        Checks.temperature("softmaxCrossEntropySoft", t);
        float invT = 1f / t;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(z, o, cols);
            float logSum = logSumExpShifted(z, o, cols, max, invT);
            float g = gradScale * invT;
            for (int j = 0; j < cols; j++) {
                float logQ = (z[o + j] - max) * invT - logSum;
                // 0 · log q = 0 even when q underflows: skip zero targets
                if (p[o + j] != 0f) loss -= (double) p[o + j] * logQ;
                if (grad != null) grad[o + j] = g * ((float) Math.exp(logQ) - p[o + j]);
            }
        }
        return loss;
    }

    static float rowMax(float[] x, int o, int cols) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j]);
        return max;
    }

    /** log Σ_j exp((x_j − max) · invT), summed in float64; the largest term is exp(0) = 1. */
    static float logSumExpShifted(float[] x, int o, int cols, float max, float invT) {
        double sum = 0;
        for (int j = 0; j < cols; j++) sum += Math.exp((x[o + j] - max) * invT);
        return (float) Math.log(sum);
    }
}
