package distill4j.kernels.elementwise;

import distill4j.kernels.Checks;

/** Reference bias, ReLU, axpy/scale and reductions. */
public final class ScalarElementwise implements ElementwiseKernels {

    // y (rows, cols) += bias (cols)
    @Override
    public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        Checks.matrices("biasAddForward", rows, cols, "y", y, (long) rows * cols, "bias", bias, cols);
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < cols; j++) y[r * cols + j] += bias[j];
        }
    }

    // dy (rows, cols) -> db (cols) = Σ_rows dy
    @Override
    public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        Checks.matrices("biasBackward", rows, cols, "dy", dy, (long) rows * cols, "db", db, cols);
        for (int j = 0; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += dy[r * cols + j];
            db[j] = accumulate ? (float) (db[j] + s) : (float) s;
        }
    }

    // x (n) -> y (n) = max(x, 0); NaN stays NaN (x > 0 is false for NaN, so test x ≤ 0 instead)
    @Override
    public void reluForward(float[] x, float[] y, int n) {
        Checks.vectors("reluForward", n, "x", x, "y", y);
        for (int i = 0; i < n; i++) y[i] = x[i] <= 0f ? 0f : x[i];
    }

    // y, dy (n) -> dx = dy · [y > 0] (or dx += that)
    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        Checks.vectors("reluBackward", n, "y", y, "dy", dy);
        Checks.vectors("reluBackward", n, "dx", dx, "dx", dx);
        for (int i = 0; i < n; i++) {
            float v = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    // x, y (n): y += a · x
    @Override
    public void axpy(int n, float a, float[] x, float[] y) {
        Checks.vectors("axpy", n, "x", x, "y", y);
        for (int i = 0; i < n; i++) y[i] += a * x[i];
    }

    // x (n) *= a
    @Override
    public void fill(int n, float value, float[] x) {
        Checks.vectors("fill", n, "x", x, "x", x);
        java.util.Arrays.fill(x, 0, n, value);
    }

    @Override
    public void scale(int n, float a, float[] x) {
        Checks.vectors("scale", n, "x", x, "x", x);
        for (int i = 0; i < n; i++) x[i] *= a;
    }

    // x (n) -> Σ x in float64
    @Override
    public double sum(float[] x, int n) {
        Checks.vectors("sum", n, "x", x, "x", x);
        double s = 0;
        for (int i = 0; i < n; i++) s += x[i];
        return s;
    }

    // x (n) -> Σ x² in float64
    @Override
    public double sumOfSquares(float[] x, int n) {
        Checks.vectors("sumOfSquares", n, "x", x, "x", x);
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) x[i] * x[i];
        return s;
    }
}
