package distill4j.kernels.softmax;

import static distill4j.kernels.Close.assertClose;
import static distill4j.kernels.Close.assertFinite;
import static distill4j.kernels.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Softmax, log-softmax and the fused softmax + cross-entropy (hard and soft targets) against float64
 * math written here, at logits up to 1e4 in magnitude and temperatures 0.05, 1 and 100; their
 * gradients against the closed forms and against float64 central finite differences.
 */
class ScalarSoftmaxTest extends SoftmaxContract {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }

    static final float[] TEMPERATURES = {0.05f, 1f, 100f};
    static final double[] MAGNITUDES = {1, 30, 1e4};
    static final int[][] SHAPES = {{1, 1}, {3, 1}, {1, 2}, {2, 7}, {5, 10}, {4, 33}};

    /**
     * Probabilities: the kernel forms the exponent e = (x − max)/T in float32 (two roundings of relative
     * 2^-24), so q carries a relative error of about 2|e|·2^-24; every q above SOFTMAX_ATOL has |e| < 28,
     * hence ≤ 3.4e-6, plus a few ulps from the normalization.
     */
    static final double SOFTMAX_ATOL = 1e-12;
    static final double SOFTMAX_RTOL = 5e-6;
    /**
     * Log-probabilities log q = e − log Σ: absolute error about |e|·2^-23 + |log q|·2^-24 + one rounding
     * of log Σ (≤ log 33), i.e. relative 2e-7 of the value plus 3e-7.
     */
    static final double LOG_ATOL = 2e-6;
    static final double LOG_RTOL = 5e-7;
    /** Row sums of softmax: 33 roundings of relative 2^-24 at most. */
    static final double ROW_SUM_ATOL = 1e-6;
    /**
     * Finite differences of the float64 loss with step h = 1e-3·T: truncation error h²·|f'''| ≈ 1e-6 of
     * the gradient's scale 1/T; the kernel's float32 gradient adds SOFTMAX_RTOL of it.
     */
    static final double FD_ATOL = 1e-5;
    static final double FD_RTOL = 1e-4;

    // ---------------------------------------------------------------- float64 references

    static double[] softmaxRef(float[] x, int rows, int cols, double t) {
        double[] q = new double[rows * cols];
        for (int r = 0; r < rows; r++) {
            double[] l = logSoftmaxRow(x, r * cols, cols, t);
            for (int j = 0; j < cols; j++) q[r * cols + j] = Math.exp(l[j]);
        }
        return q;
    }

    static double[] logSoftmaxRef(float[] x, int rows, int cols, double t) {
        double[] y = new double[rows * cols];
        for (int r = 0; r < rows; r++) System.arraycopy(logSoftmaxRow(x, r * cols, cols, t), 0, y, r * cols, cols);
        return y;
    }

    /** log softmax(x/T) of one row in float64: x/T − log Σ exp(x/T), shifted by the row maximum. */
    static double[] logSoftmaxRow(float[] x, int o, int cols, double t) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < cols; j++) max = Math.max(max, x[o + j] / t);
        double s = 0;
        for (int j = 0; j < cols; j++) s += Math.exp(x[o + j] / t - max);
        double logZ = max + Math.log(s);
        double[] out = new double[cols];
        for (int j = 0; j < cols; j++) out[j] = x[o + j] / t - logZ;
        return out;
    }

    /** Σ_rows −Σ_j p_j log softmax(z/T)_j in float64, z given in float64 (for finite differences). */
    static double crossEntropyRef(double[] z, double[] p, int rows, int cols, double t) {
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < cols; j++) max = Math.max(max, z[r * cols + j] / t);
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp(z[r * cols + j] / t - max);
            double logZ = max + Math.log(s);
            for (int j = 0; j < cols; j++) loss -= p[r * cols + j] * (z[r * cols + j] / t - logZ);
        }
        return loss;
    }

    /** Logit rows of the given magnitude, with the awkward cases added: ties, one dominant entry, ±magnitude. */
    static float[] logits(Random rnd, int rows, int cols, double magnitude) {
        float[] x = uniform(rnd, rows * cols, magnitude);
        if (rows > 1) for (int j = 0; j < cols; j++) x[j] = (float) magnitude;              // all tied at the top
        if (rows > 2) for (int j = 0; j < cols; j++) x[2 * cols + j] = j == 0 ? (float) magnitude : (float) -magnitude;
        return x;
    }

    // ---------------------------------------------------------------- forward at extremes

    @Test
    void softmaxAndLogSoftmaxAreFiniteAndCorrectAtExtremes() {
        long seed = 99L;
        Random rnd = new Random(seed);
        for (float t : TEMPERATURES) {
            for (double mag : MAGNITUDES) {
                for (int[] s : SHAPES) {
                    int rows = s[0], cols = s[1];
                    String where = "T=" + t + " |x|≤" + mag + " " + rows + "x" + cols + " seed=" + seed;
                    float[] x = logits(rnd, rows, cols, mag);
                    float[] y = new float[rows * cols];
                    new ScalarSoftmax().softmaxForward(x, y, rows, cols, t);
                    assertFinite(y, y.length, "softmax " + where);
                    double[] q = softmaxRef(x, rows, cols, t);
                    for (int i = 0; i < y.length; i++) {
                        assertClose(q[i], y[i], SOFTMAX_ATOL, SOFTMAX_RTOL, "softmax[" + i + "] " + where);
                    }
                    for (int r = 0; r < rows; r++) {
                        double sum = 0;
                        for (int j = 0; j < cols; j++) sum += y[r * cols + j];
                        assertClose(1.0, sum, ROW_SUM_ATOL, 0, "row " + r + " sums to 1, " + where);
                    }
                    float[] inPlace = x.clone();
                    new ScalarSoftmax().softmaxForward(inPlace, inPlace, rows, cols, t);
                    assertArrayEquals(y, inPlace, "y may be x, " + where);

                    float[] ly = new float[rows * cols];
                    new ScalarSoftmax().logSoftmaxForward(x, ly, rows, cols, t);
                    assertFinite(ly, ly.length, "log-softmax " + where);
                    double[] l = logSoftmaxRef(x, rows, cols, t);
                    for (int i = 0; i < ly.length; i++) {
                        assertClose(l[i], ly[i], LOG_ATOL, LOG_RTOL, "log-softmax[" + i + "] " + where);
                        assertTrue(ly[i] <= 0f, "log-probability ≤ 0, " + where);
                    }
                }
            }
        }
    }

    @Test
    void handWorkedValues() {
        // softmax([0, ln 3]) = [1/4, 3/4]; at T = 2 logits [0, 2 ln 3] give the same
        float ln3 = (float) Math.log(3);
        float[] y = new float[2];
        new ScalarSoftmax().softmaxForward(new float[] {0, ln3}, y, 1, 2, 1f);
        assertClose(0.25, y[0], 0, 1e-6, "q0");
        assertClose(0.75, y[1], 0, 1e-6, "q1");
        new ScalarSoftmax().softmaxForward(new float[] {0, 2 * ln3}, y, 1, 2, 2f);
        assertClose(0.25, y[0], 0, 1e-6, "q0 at T=2");
        // cross-entropy of label 1: −ln(3/4)
        double loss = new ScalarSoftmax().softmaxCrossEntropyHard(new float[] {0, ln3}, new int[] {1}, null, 1, 2, 1f, 1f);
        assertClose(-Math.log(0.75), loss, 0, 1e-6, "hard CE");
        // a single column: q = 1, log q = 0, loss 0 whatever the logit
        float[] one = new float[1];
        new ScalarSoftmax().logSoftmaxForward(new float[] {-1e4f}, one, 1, 1, 0.05f);
        assertArrayEquals(new float[] {0f}, one);
    }

    // ---------------------------------------------------------------- fused cross-entropy

    @Test
    void fusedCrossEntropyLossAndGradientAtExtremes() {
        long seed = 4242L;
        Random rnd = new Random(seed);
        for (float t : TEMPERATURES) {
            for (double mag : MAGNITUDES) {
                for (int[] s : SHAPES) {
                    int rows = s[0], cols = s[1];
                    String where = "T=" + t + " |z|≤" + mag + " " + rows + "x" + cols + " seed=" + seed;
                    float[] z = logits(rnd, rows, cols, mag);
                    float gradScale = t * t / rows; // Hinton's T² times a batch mean
                    double[] q = softmaxRef(z, rows, cols, t);
                    double[] logQ = logSoftmaxRef(z, rows, cols, t);

                    // hard labels
                    int[] labels = new int[rows];
                    for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
                    float[] g = new float[rows * cols];
                    double loss = new ScalarSoftmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, t, gradScale);
                    double expected = 0;
                    for (int r = 0; r < rows; r++) expected -= logQ[r * cols + labels[r]];
                    assertClose(expected, loss, LOG_ATOL * rows, LOG_RTOL, "hard CE loss " + where);
                    assertFinite(g, g.length, "hard CE grad " + where);
                    for (int r = 0; r < rows; r++) {
                        for (int j = 0; j < cols; j++) {
                            int i = r * cols + j;
                            double p = j == labels[r] ? 1 : 0;
                            double scale = gradScale / t;
                            assertClose(scale * (q[i] - p), g[i], scale * (SOFTMAX_ATOL + SOFTMAX_RTOL * (q[i] + p)), 0,
                                    "hard CE grad = gradScale·(q − onehot)/T at [" + r + "," + j + "] " + where);
                        }
                    }
                    double lossOnly = new ScalarSoftmax().softmaxCrossEntropyHard(z, labels, null, rows, cols, t, gradScale);
                    assertClose(loss, lossOnly, 0, 0, "grad == null gives the same loss " + where);

                    // soft targets: a teacher's softmax at the same T, and one-hot rows (zeros in p)
                    float[] p = new float[rows * cols];
                    new ScalarSoftmax().softmaxForward(uniform(rnd, rows * cols, mag), p, rows, cols, t);
                    for (int j = 0; j < cols; j++) p[j] = j == cols - 1 ? 1f : 0f;
                    float[] gs = new float[rows * cols];
                    double softLoss = new ScalarSoftmax().softmaxCrossEntropySoft(z, p, gs, rows, cols, t, gradScale);
                    double softExpected = 0;
                    for (int i = 0; i < p.length; i++) softExpected -= p[i] * logQ[i];
                    assertClose(softExpected, softLoss, LOG_ATOL * rows, LOG_RTOL, "soft CE loss " + where);
                    assertFinite(gs, gs.length, "soft CE grad " + where);
                    for (int i = 0; i < gs.length; i++) {
                        double scale = gradScale / t;
                        assertClose(scale * (q[i] - p[i]), gs[i], scale * (SOFTMAX_ATOL + SOFTMAX_RTOL * (q[i] + p[i])), 0,
                                "soft CE grad = gradScale·(q − p)/T at " + i + " " + where);
                    }
                }
            }
        }
    }

    /** The fused gradient passes the same check as the composition it replaces: log-softmax, then −Σ p·log q. */
    @Test
    void fusedGradientEqualsTheComposedLogSoftmaxBackward() {
        long seed = 77L;
        Random rnd = new Random(seed);
        for (float t : TEMPERATURES) {
            int rows = 3, cols = 9;
            float[] z = uniform(rnd, rows * cols, 5);
            float[] p = new float[rows * cols];
            new ScalarSoftmax().softmaxForward(uniform(rnd, rows * cols, 5), p, rows, cols, t);
            float gradScale = 0.5f;
            float[] fused = new float[rows * cols];
            new ScalarSoftmax().softmaxCrossEntropySoft(z, p, fused, rows, cols, t, gradScale);
            float[] logQ = new float[rows * cols], dy = new float[rows * cols], composed = new float[rows * cols];
            new ScalarSoftmax().logSoftmaxForward(z, logQ, rows, cols, t);
            for (int i = 0; i < dy.length; i++) dy[i] = -gradScale * p[i];
            new ScalarSoftmax().logSoftmaxBackward(logQ, dy, composed, rows, cols, t, false);
            for (int i = 0; i < fused.length; i++) {
                // Σ_j p_j = 1 only to float32 rounding: the composed form carries that error times q/T
                assertClose(composed[i], fused[i], gradScale / t * 1e-6, SOFTMAX_RTOL, "T=" + t + " i=" + i + " seed=" + seed);
            }
        }
    }

    @Test
    void fusedGradientsMatchFiniteDifferencesOfTheFloat64Loss() {
        long seed = 31337L;
        Random rnd = new Random(seed);
        for (float t : TEMPERATURES) {
            for (boolean hard : new boolean[] {true, false}) {
                int rows = 2, cols = 6;
                float[] z = uniform(rnd, rows * cols, 3 * t);  // logits on the scale of T: gradients are O(1/T)
                float[] p = new float[rows * cols];
                int[] labels = {rnd.nextInt(cols), rnd.nextInt(cols)};
                if (hard) {
                    for (int r = 0; r < rows; r++) p[r * cols + labels[r]] = 1f;
                } else {
                    new ScalarSoftmax().softmaxForward(uniform(rnd, rows * cols, 3 * t), p, rows, cols, t);
                }
                float gradScale = t * t / rows;
                float[] g = new float[rows * cols];
                if (hard) new ScalarSoftmax().softmaxCrossEntropyHard(z, labels, g, rows, cols, t, gradScale);
                else new ScalarSoftmax().softmaxCrossEntropySoft(z, p, g, rows, cols, t, gradScale);

                double[] zd = new double[z.length], pd = new double[p.length];
                for (int i = 0; i < z.length; i++) {
                    zd[i] = z[i];
                    pd[i] = p[i];
                }
                double h = 1e-3 * t;
                for (int i = 0; i < z.length; i++) {
                    double saved = zd[i];
                    zd[i] = saved + h;
                    double up = crossEntropyRef(zd, pd, rows, cols, t);
                    zd[i] = saved - h;
                    double down = crossEntropyRef(zd, pd, rows, cols, t);
                    zd[i] = saved;
                    double fd = gradScale * (up - down) / (2 * h);
                    assertClose(fd, g[i], FD_ATOL * gradScale / t, FD_RTOL,
                            (hard ? "hard" : "soft") + " CE grad vs finite differences, T=" + t + " i=" + i + " seed=" + seed);
                }
            }
        }
    }

    @Test
    void hardLabelOutsideTheRowIsRejected() {
        float[] z = new float[10];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new ScalarSoftmax().softmaxCrossEntropyHard(z, new int[] {0, 5}, null, 2, 5, 1f, 1f));
        assertTrue(e.getMessage().contains("label 5 of row 1 is outside [0, 5)"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> new ScalarSoftmax().softmaxCrossEntropyHard(z, new int[] {-1, 0}, null, 2, 5, 1f, 1f));
    }

    // ---------------------------------------------------------------- backward vs finite differences

    /** softmax / log-softmax backward against finite differences of L(x) = Σ w ⊙ f(x / T), f in float64. */
    @Test
    void softmaxAndLogSoftmaxBackwardMatchFiniteDifferences() {
        long seed = 2718L;
        Random rnd = new Random(seed);
        for (float t : TEMPERATURES) {
            for (boolean log : new boolean[] {false, true}) {
                for (boolean accumulate : new boolean[] {false, true}) {
                    int rows = 3, cols = 5;
                    float[] x = uniform(rnd, rows * cols, 3 * t);
                    float[] w = uniform(rnd, rows * cols, 1);
                    float[] y = new float[rows * cols];
                    if (log) new ScalarSoftmax().logSoftmaxForward(x, y, rows, cols, t);
                    else new ScalarSoftmax().softmaxForward(x, y, rows, cols, t);
                    float[] dx0 = accumulate ? uniform(rnd, rows * cols, 1) : new float[rows * cols];
                    float[] dx = dx0.clone();
                    if (log) new ScalarSoftmax().logSoftmaxBackward(y, w, dx, rows, cols, t, accumulate);
                    else new ScalarSoftmax().softmaxBackward(y, w, dx, rows, cols, t, accumulate);

                    double h = 1e-3 * t;
                    for (int i = 0; i < x.length; i++) {
                        float saved = x[i];
                        double up = weighted(x, w, rows, cols, t, log, i, saved + h);
                        double down = weighted(x, w, rows, cols, t, log, i, saved - h);
                        double fd = (up - down) / (2 * h) + dx0[i];
                        assertClose(fd, dx[i], FD_ATOL / t + Math.ulp(dx0[i]), FD_RTOL,
                                (log ? "log-softmax" : "softmax") + " backward, T=" + t + " acc=" + accumulate
                                        + " i=" + i + " seed=" + seed);
                    }
                }
            }
        }
    }

    /** Σ w ⊙ f(x/T) in float64 with x[i] replaced by xi (not rounded to float). */
    private static double weighted(float[] x, float[] w, int rows, int cols, double t, boolean log, int i, double xi) {
        double sum = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            double max = Double.NEGATIVE_INFINITY;
            double[] v = new double[cols];
            for (int j = 0; j < cols; j++) {
                v[j] = (o + j == i ? xi : x[o + j]) / t;
                max = Math.max(max, v[j]);
            }
            double s = 0;
            for (int j = 0; j < cols; j++) s += Math.exp(v[j] - max);
            for (int j = 0; j < cols; j++) {
                double lq = v[j] - max - Math.log(s);
                sum += w[o + j] * (log ? lq : Math.exp(lq));
            }
        }
        return sum;
    }

    @Test
    void nonPositiveOrNonFiniteTemperatureIsRejected() {
        float[] x = {1, 2}, y = new float[2];
        for (float t : new float[] {0f, -0f, -1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            List<Runnable> calls = List.of(
                    () -> new ScalarSoftmax().softmaxForward(x, y, 1, 2, t),
                    () -> new ScalarSoftmax().softmaxBackward(x, x, y, 1, 2, t, false),
                    () -> new ScalarSoftmax().logSoftmaxForward(x, y, 1, 2, t),
                    () -> new ScalarSoftmax().logSoftmaxBackward(x, x, y, 1, 2, t, false),
                    () -> new ScalarSoftmax().softmaxCrossEntropyHard(x, new int[] {0}, y, 1, 2, t, 1f),
                    () -> new ScalarSoftmax().softmaxCrossEntropySoft(x, x, y, 1, 2, t, 1f));
            for (Runnable call : calls) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call::run, "T=" + t);
                assertTrue(e.getMessage().contains("temperature") && e.getMessage().contains(String.valueOf(t)),
                        e.getMessage());
            }
        }
    }
}
