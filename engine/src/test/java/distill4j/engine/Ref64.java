package distill4j.engine;

import distill4j.kernels.dropout.Philox;

/**
 * Float64 reference implementations of the engine's math, written from the formulas with no
 * cleverness: the oracle of the gradient checks. Matrices are row-major double arrays.
 */
public final class Ref64 {
    private Ref64() {}

    // a (m, k), b (k, n) -> (m, n)
    public static double[] matmul(double[] a, double[] b, int m, int k, int n) {
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int p = 0; p < k; p++) s += a[i * k + p] * b[p * n + j];
                c[i * n + j] = s;
            }
        return c;
    }

    // x (B, in), w (out, in), bias (out) -> (B, out)
    public static double[] linear(double[] x, double[] w, double[] bias, int batch, int in, int out) {
        double[] y = new double[batch * out];
        for (int b = 0; b < batch; b++)
            for (int o = 0; o < out; o++) {
                double s = bias == null ? 0 : bias[o];
                for (int i = 0; i < in; i++) s += x[b * in + i] * w[o * in + i];
                y[b * out + o] = s;
            }
        return y;
    }

    public static double[] softmax(double[] x, int rows, int cols, double t) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp((x[r * cols + j] - max) / t);
            for (int j = 0; j < cols; j++) y[r * cols + j] = Math.exp((x[r * cols + j] - max) / t) / s;
        }
        return y;
    }

    public static double[] logSoftmax(double[] x, int rows, int cols, double t) {
        double[] y = new double[x.length];
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, x[r * cols + j]);
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp((x[r * cols + j] - max) / t);
            double lse = Math.log(s);
            for (int j = 0; j < cols; j++) y[r * cols + j] = (x[r * cols + j] - max) / t - lse;
        }
        return y;
    }

    /** Σ_rows −log softmax(z/T)_label. */
    public static double crossEntropySum(double[] z, int[] labels, int rows, int cols, double t) {
        double[] ls = logSoftmax(z, rows, cols, t);
        double s = 0;
        for (int r = 0; r < rows; r++) s -= ls[r * cols + labels[r]];
        return s;
    }

    /** Σ_rows −Σ_j p_j log softmax(z/T)_j. */
    public static double softCrossEntropySum(double[] z, double[] p, int rows, int cols, double t) {
        double[] ls = logSoftmax(z, rows, cols, t);
        double s = 0;
        for (int i = 0; i < z.length; i++) s -= p[i] * ls[i];
        return s;
    }

    /** Σ_rows Σ_j p_j (log p_j − log softmax(z/T)_j), 0 log 0 = 0. */
    public static double klSum(double[] z, double[] p, int rows, int cols, double t) {
        double[] ls = logSoftmax(z, rows, cols, t);
        double s = 0;
        for (int i = 0; i < z.length; i++) if (p[i] > 0) s += p[i] * (Math.log(p[i]) - ls[i]);
        return s;
    }

    /** Dropout with the Philox mask (the mask is the specification, shared by every backend). */
    public static double[] dropout(double[] x, double p, long seed, long step) {
        double[] y = new double[x.length];
        float scale = 1f / (1f - (float) p);
        for (int i = 0; i < x.length; i++) y[i] = Philox.keep(seed, step, i, (float) p) ? x[i] * scale : 0;
        return y;
    }

    /** Cosine similarity per row with norms clamped at eps. */
    public static double[] cosineRows(double[] a, double[] b, int rows, int cols, double eps) {
        double[] y = new double[rows];
        for (int r = 0; r < rows; r++) {
            double d = 0, sa = 0, sb = 0;
            for (int j = 0; j < cols; j++) {
                d += a[r * cols + j] * b[r * cols + j];
                sa += a[r * cols + j] * a[r * cols + j];
                sb += b[r * cols + j] * b[r * cols + j];
            }
            y[r] = d / (Math.max(Math.sqrt(sa), eps) * Math.max(Math.sqrt(sb), eps));
        }
        return y;
    }

    /** A random probability matrix (rows summing to 1), float32-exact after normalisation in float32. */
    public static double[] probabilities(java.util.SplittableRandom rng, int rows, int cols, double sharpness) {
        float[] z = new float[rows * cols];
        for (int i = 0; i < z.length; i++) z[i] = (float) (sharpness * (2 * rng.nextDouble() - 1));
        float[] p = new float[z.length];
        new distill4j.kernels.softmax.ScalarSoftmax().softmaxForward(z, p, rows, cols, 1f);
        double[] out = new double[p.length];
        for (int i = 0; i < p.length; i++) out[i] = p[i];
        return out;
    }
}
