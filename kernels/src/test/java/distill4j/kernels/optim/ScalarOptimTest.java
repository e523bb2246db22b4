package distill4j.kernels.optim;

import static distill4j.kernels.Close.assertClose;
import static distill4j.kernels.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * SGD (momentum, dampening, Nesterov, weight decay), Adam and max-norm against numbers worked by hand
 * and against the documented formulas carried out in float64 over several steps.
 */
class ScalarOptimTest extends OptimContract {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }

    /** Hand-worked examples: a few float32 roundings of values ≤ 1. */
    static final double HAND_ATOL = 1e-6;
    /** Several steps with float32 state against float64 state: the roundings compound but stay ~1e-6. */
    static final double STEPS_ATOL = 1e-6;
    static final double STEPS_RTOL = 1e-5;
    /** β2 = 0.999 is not a float32: 1 − 0.999f = 0.00099998713, 1.3e-5 away from the hand-worked 1e-3. */
    static final double BETA2_RTOL = 2e-5;

    // ---------------------------------------------------------------- SGD

    /** w = 1, constant g = 0.5, lr = 0.1; weights after each step as worked out in the comments. */
    @Test
    void sgdHandWorked() {
        // plain: w ← w − 0.1·0.5 → 0.95, 0.90
        assertSteps(new double[] {0.95, 0.90}, 0f, 0f, 0f, false, false);
        // momentum 0.9: v = 0.5, w = 0.95; v = 0.9·0.5 + 0.5 = 0.95, w = 0.855; v = 1.355, w = 0.7195
        assertSteps(new double[] {0.95, 0.855, 0.7195}, 0.9f, 0f, 0f, false, true);
        // Nesterov 0.9: v = 0.5, w −= 0.1·(0.5 + 0.45) → 0.905; v = 0.95, w −= 0.1·(0.5 + 0.855) → 0.7695
        assertSteps(new double[] {0.905, 0.7695}, 0.9f, 0f, 0f, true, true);
        // dampening 0.5 with momentum 0.9: v = 0.25, w = 0.975; v = 0.9·0.25 + 0.25 = 0.475, w = 0.9275
        assertSteps(new double[] {0.975, 0.9275}, 0.9f, 0.5f, 0f, false, true);
        // weight decay 0.1: g' = 0.5 + 0.1·1 = 0.6, w = 0.94; g' = 0.5 + 0.094 = 0.594, w = 0.8806
        assertSteps(new double[] {0.94, 0.8806}, 0f, 0f, 0.1f, false, false);
    }

    private static void assertSteps(double[] expected, float momentum, float dampening, float wd, boolean nesterov,
                                    boolean withVelocity) {
        float[] w = {1f}, v = withVelocity ? new float[1] : null;
        for (int s = 0; s < expected.length; s++) {
            new ScalarOptim().sgdUpdate(1, w, new float[] {0.5f}, v, 0.1f, momentum, dampening, wd, nesterov);
            assertClose(expected[s], w[0], HAND_ATOL, 0, "SGD μ=" + momentum + " d=" + dampening + " wd=" + wd
                    + " nesterov=" + nesterov + " step " + (s + 1));
        }
    }

    @Test
    void sgdFollowsTheDocumentedFormulaOverSeveralSteps() {
        long seed = 5150L;
        Random rnd = new Random(seed);
        int n = 37;
        for (float momentum : new float[] {0f, 0.5f, 0.9f}) {
            for (float dampening : new float[] {0f, 0.3f}) {
                for (float wd : new float[] {0f, 1e-2f}) {
                    for (boolean nesterov : new boolean[] {false, true}) {
                        float lr = 0.05f;
                        float[] w = uniform(rnd, n, 1), v = new float[n];
                        double[] wd64 = toDouble(w), v64 = new double[n];
                        for (int step = 1; step <= 5; step++) {
                            float[] g = uniform(rnd, n, 2);
                            new ScalarOptim().sgdUpdate(n, w, g, v, lr, momentum, dampening, wd, nesterov);
                            for (int i = 0; i < n; i++) {
                                // g' = g + wd·w;  v = μ·v + (1 − d)·g';  w −= lr · (nesterov ? g' + μ·v : v)
                                double gi = g[i] + (double) wd * wd64[i];
                                v64[i] = momentum * v64[i] + (1.0 - dampening) * gi;
                                wd64[i] -= lr * (nesterov ? gi + momentum * v64[i] : v64[i]);
                                String what = "SGD μ=" + momentum + " d=" + dampening + " wd=" + wd + " nesterov="
                                        + nesterov + " step " + step + " i=" + i + " seed=" + seed;
                                assertClose(wd64[i], w[i], STEPS_ATOL, STEPS_RTOL, what);
                                assertClose(v64[i], v[i], STEPS_ATOL, STEPS_RTOL, "velocity, " + what);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void sgdWithoutVelocityBufferIsPlainSgdAndNeedsZeroMomentum() {
        float[] g = {0.5f, -2f, 0f};
        float[] w1 = {1f, 2f, 3f}, w2 = w1.clone(), v = new float[3];
        new ScalarOptim().sgdUpdate(3, w1, g, null, 0.1f, 0f, 0f, 0.01f, false);
        new ScalarOptim().sgdUpdate(3, w2, g, v, 0.1f, 0f, 0f, 0.01f, false);
        assertArrayEquals(w2, w1, "v = null and v = zeros agree when μ = 0, d = 0");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScalarOptim().sgdUpdate(3, w1, g, null, 0.1f, 0.9f, 0f, 0f, false));
        assertTrue(e.getMessage().contains("momentum 0.9") && e.getMessage().contains("velocity"), e.getMessage());
    }

    // ---------------------------------------------------------------- Adam

    /**
     * w = 1, lr = 0.01, β1 = 0.9, β2 = 0.999, ε = 1e-8. Step 1, g = 0.5: m = 0.05, v = 2.5e-4,
     * m̂ = 0.5, v̂ = 0.25, w = 1 − 0.01·0.5/0.5 = 0.99 (bias correction makes the first step ≈ lr).
     * Step 2, g = −1: m = 0.045 − 0.1 = −0.055, v = 2.4975e-4 + 1e-3 = 1.24975e-3,
     * m̂ = −0.055/0.19 = −0.28947368, v̂ = 1.24975e-3/1.999e-3 = 0.62518759, √v̂ = 0.79068805,
     * w = 0.99 + 0.01·0.28947368/0.79068805 = 0.99366104.
     */
    @Test
    void adamHandWorked() {
        float[] w = {1f}, m = new float[1], v = new float[1];
        new ScalarOptim().adamUpdate(1, w, new float[] {0.5f}, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 1);
        assertClose(0.05, m[0], HAND_ATOL, 0, "m after step 1");
        assertClose(2.5e-4, v[0], 0, BETA2_RTOL, "v after step 1");
        assertClose(0.99, w[0], HAND_ATOL, 0, "w after step 1");
        new ScalarOptim().adamUpdate(1, w, new float[] {-1f}, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 2);
        assertClose(-0.055, m[0], HAND_ATOL, 0, "m after step 2");
        assertClose(1.24975e-3, v[0], 0, BETA2_RTOL, "v after step 2");
        assertClose(0.99366104, w[0], HAND_ATOL, 0, "w after step 2");
    }

    @Test
    void adamRejectsStepZero() {
        float[] w = {1f}, m = new float[1], v = new float[1];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScalarOptim().adamUpdate(1, w, new float[] {1f}, m, v, 0.01f, 0.9f, 0.999f, 1e-8f, 0f, 0));
        assertTrue(e.getMessage().contains("got 0"), e.getMessage());
        assertArrayEquals(new float[] {1f}, w, "nothing written");
    }

    @Test
    void adamFollowsTheDocumentedFormulaOverSeveralSteps() {
        long seed = 8086L;
        Random rnd = new Random(seed);
        int n = 29;
        for (float wd : new float[] {0f, 0.01f}) {
            float lr = 1e-3f, b1 = 0.9f, b2 = 0.999f, eps = 1e-8f;
            float[] w = uniform(rnd, n, 1), m = new float[n], v = new float[n];
            double[] w64 = toDouble(w), m64 = new double[n], v64 = new double[n];
            for (int t = 1; t <= 6; t++) {
                float[] g = uniform(rnd, n, 3);
                new ScalarOptim().adamUpdate(n, w, g, m, v, lr, b1, b2, eps, wd, t);
                for (int i = 0; i < n; i++) {
                    // g' = g + wd·w; m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²;
                    // w −= lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
                    double gi = g[i] + (double) wd * w64[i];
                    m64[i] = b1 * m64[i] + (1.0 - b1) * gi;
                    v64[i] = b2 * v64[i] + (1.0 - b2) * gi * gi;
                    double mHat = m64[i] / (1 - Math.pow(b1, t)), vHat = v64[i] / (1 - Math.pow(b2, t));
                    w64[i] -= lr * mHat / (Math.sqrt(vHat) + eps);
                    String what = "Adam wd=" + wd + " t=" + t + " i=" + i + " seed=" + seed;
                    assertClose(w64[i], w[i], STEPS_ATOL, STEPS_RTOL, what);
                    assertClose(m64[i], m[i], STEPS_ATOL, STEPS_RTOL, "m, " + what);
                    assertClose(v64[i], v[i], 1e-9, STEPS_RTOL, "v, " + what);
                }
            }
        }
    }

    // ---------------------------------------------------------------- max-norm

    @Test
    void maxNormRescalesOnlyRowsAboveTheLimit() {
        float[] w = {
            3, 4, 0,      // norm 5 > 2: rescaled to (1.2, 1.6, 0)
            0.5f, 0.5f, 0, // norm 0.707 < 2: untouched
            2, 0, 0,      // norm exactly 2: untouched
            0, 0, 0};     // zero row: untouched
        float[] before = w.clone();
        new ScalarOptim().maxNormRows(w, 4, 3, 2f);
        assertClose(1.2, w[0], HAND_ATOL, 0, "w[0,0]");
        assertClose(1.6, w[1], HAND_ATOL, 0, "w[0,1]");
        assertClose(0, w[2], 0, 0, "w[0,2]");
        for (int i = 3; i < 12; i++) assertClose(before[i], w[i], 0, 0, "untouched element " + i);
    }

    @Test
    void maxNormAgainstFloat64OnRandomRows() {
        long seed = 1999L;
        Random rnd = new Random(seed);
        int rows = 50, cols = 13;
        float maxNorm = 3.5f;
        float[] w = new float[rows * cols];
        for (int r = 0; r < rows; r++) {
            double target = maxNorm * (0.5 + rnd.nextDouble()); // half the rows above the limit
            float[] row = uniform(rnd, cols, 1);
            double norm = Math.sqrt(sumSq(row, 0, cols));
            for (int j = 0; j < cols; j++) w[r * cols + j] = (float) (row[j] * target / norm);
        }
        float[] before = w.clone();
        new ScalarOptim().maxNormRows(w, rows, cols, maxNorm);
        for (int r = 0; r < rows; r++) {
            double norm = Math.sqrt(sumSq(before, r * cols, cols));
            double s = norm > maxNorm ? maxNorm / norm : 1.0;
            for (int j = 0; j < cols; j++) {
                assertClose(before[r * cols + j] * s, w[r * cols + j], 0, 0x1p-22, "row " + r + " col " + j + " seed=" + seed);
            }
            double after = Math.sqrt(sumSq(w, r * cols, cols));
            assertTrue(after <= maxNorm * (1 + 1e-6), "row " + r + " norm " + after + " ≤ " + maxNorm);
        }
    }

    private static double sumSq(float[] a, int o, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += (double) a[o + i] * a[o + i];
        return s;
    }

    private static double[] toDouble(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) d[i] = a[i];
        return d;
    }
}
