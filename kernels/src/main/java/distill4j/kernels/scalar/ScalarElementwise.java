package distill4j.kernels.scalar;

import distill4j.kernels.Philox;

/** Reference bias, ReLU, dropout, axpy/scale and reductions. */
public final class ScalarElementwise {
    private ScalarElementwise() {}

    // y (rows, cols) += bias (cols)
    public static void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) y[r * cols + j] += bias[j];
        }
    }

    // dy (rows, cols) -> db (cols) = Σ_rows dy
    public static void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += dy[r * cols + j];
            db[j] = accumulate ? (float) (db[j] + s) : (float) s;
        }
    }

    public static void reluForward(float[] x, float[] y, int n) {
        for (int i = 0; i < n; i++) y[i] = x[i] > 0f ? x[i] : 0f;
    }

    public static void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        for (int i = 0; i < n; i++) {
            float v = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    // x (n) -> y (n) = x · keep / (1 − p); keep from Philox(seed, step, indexBase + i)
    public static void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        checkDropoutP(p);
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            y[i] = Philox.keep(seed, step, indexBase + i, p) ? x[i] * scale : 0f;
        }
    }

    public static void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step,
                                       long indexBase, boolean accumulate) {
        checkDropoutP(p);
        float scale = 1f / (1f - p);
        for (int i = 0; i < n; i++) {
            float v = Philox.keep(seed, step, indexBase + i, p) ? dy[i] * scale : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    static void checkDropoutP(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability p must be in [0, 1), got " + p);
        }
    }

    public static void axpy(int n, float a, float[] x, float[] y) {
        for (int i = 0; i < n; i++) y[i] += a * x[i];
    }

    public static void scale(int n, float a, float[] x) {
        for (int i = 0; i < n; i++) x[i] *= a;
    }

    public static double sum(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i];
        return s;
    }

    public static double sumOfSquares(float[] x, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[i] * x[i];
        return s;
    }
}
