package distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.scalar.ScalarBackend;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The backend contract, one table for every backend (style note 8): each test runs the backend under
 * test and the scalar reference on the same random inputs — shapes from 1 to 67 in every dimension
 * (primes, vector tails), the MLP shapes, one large square — and value ranges from ordinary to logits
 * of ±1e4 at temperatures 0.05 … 100, and compares within the named tolerances below
 * ({@code |got − ref| ≤ ATOL + RTOL·|ref|}). Every case also checks invariants that do not depend on
 * the reference (softmax rows sum to 1, CE gradients sum to 0, dropout keeps ≈ 1 − p, ...), so the
 * scalar row of the table is not a comparison of a thing with itself (GEMM: Freivalds' check
 * C·x = A·(B·x)). Dropout must be bit-identical.
 *
 * <p>A backend module runs the table by extending this class (the kernels test-jar ships it) and
 * implementing {@link #backend()}; a backend that cannot run on the machine should skip itself there
 * (e.g. {@code Assumptions.assumeTrue}). Each random case names its seed in the failure message.
 */
public abstract class BackendContractTest {

    /** The backend under test. */
    protected abstract Backend backend();

    /** The oracle. */
    protected final Backend ref = new ScalarBackend();

    // ---------------------------------------------------------------- named tolerances

    /**
     * GEMM: float32 accumulation against the float64 reference. The bound is relative to (|A|·|B|)_ij,
     * the sum of the magnitudes of the products, not to |C_ij|, which cancellation can make ~0: the
     * rounding error of a k-term float sum is ≤ ~k·ε of that, in practice √k·ε.
     */
    public static final float GEMM_ATOL = 1e-6f;
    public static final float GEMM_RTOL = 2e-5f;

    /** Softmax, log-softmax and their backward: float exp (≤ 2 ulp) and a float row sum. */
    public static final float SOFTMAX_ATOL = 1e-6f;
    public static final float SOFTMAX_RTOL = 3e-6f;

    /**
     * Log-softmax outputs: log q = (z − max)/T − log Σ reaches −4e5 at |z| = 1e4, T = 0.05, where one
     * float ulp is 0.03; relative error governs there, absolute error near log q ≈ 0.
     */
    public static final float LOG_SOFTMAX_ATOL = 2e-6f;
    public static final float LOG_SOFTMAX_RTOL = 1e-6f;

    /** Cross-entropy loss (float64 result of float row sums). */
    public static final double LOSS_ATOL = 1e-5;
    public static final double LOSS_RTOL = 1e-5;

    /** Cross-entropy gradient, relative to gradScale/T (the largest an entry of g·(q − p) can be). */
    public static final float CE_GRAD_ATOL = 2e-6f;
    public static final float CE_GRAD_RTOL = 1e-5f;

    /** Bias gradient: a float sum over rows, relative to Σ_rows |dy| (see GEMM). */
    public static final float BIAS_GRAD_RTOL = 1e-5f;

    /** Σx and Σx² are float64 sums in a different order: relative to Σ|x|. */
    public static final double SUM_RTOL = 1e-12;

    /** SGD, max-norm: the same float operations as the reference, up to 1 ulp and order. */
    public static final float OPTIM_ATOL = 1e-7f;
    public static final float OPTIM_RTOL = 1e-6f;

    /** Adam: the reference divides in float64, a vector kernel may in float32. */
    public static final float ADAM_ATOL = 1e-7f;
    public static final float ADAM_RTOL = 1e-5f;

    /** Temperatures of the table: sharp, ordinary, the paper's MNIST sweep, very soft. */
    static final float[] TEMPERATURES = {0.05f, 1f, 2.5f, 20f, 100f};
    /** Small sizes: 1, primes, around vector widths 8/16 and micro-tile sizes 6/8/32/48. */
    static final int[] SIZES = {1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 33, 48, 67};

    // ---------------------------------------------------------------- GEMM

    static Stream<Arguments> gemmCases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (GemmLayout l : GemmLayout.values()) {
            s.add(Arguments.of(l, false));
            s.add(Arguments.of(l, true));
        }
        return s.build();
    }

    @ParameterizedTest(name = "{0} accumulate={1}")
    @MethodSource("gemmCases")
    void gemmSmallShapes(GemmLayout layout, boolean accumulate) {
        long seed = 1000 + layout.ordinal() * 2 + (accumulate ? 1 : 0);
        Random rnd = new Random(seed);
        for (int m : SIZES) {
            for (int n : SIZES) {
                for (int k : new int[] {1, 2, 5, 16, 17, 67}) {
                    checkGemm(layout, m, n, k, accumulate, rnd, seed);
                }
            }
        }
        // k = 0: zeros, or C unchanged
        checkGemm(layout, 5, 7, 0, accumulate, rnd, seed);
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(GemmLayout.class)
    void gemmDeepAndOddShapes(GemmLayout layout) {
        long seed = 2000 + layout.ordinal();
        Random rnd = new Random(seed);
        int[][] shapes = {{67, 61, 300}, {1, 1200, 257}, {97, 1, 513}, {130, 67, 784}, {17, 100, 1031}};
        for (int[] s : shapes) checkGemm(layout, s[0], s[1], s[2], false, rnd, seed);
    }

    /** The MLP shapes of the paper's MNIST nets (batch 128, 784-1200-1200-10) and one large square. */
    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"NN 128 1200 784", "NT 128 1200 1200", "TN 1200 1200 128", "TN 784 1200 128",
            "NT 128 10 1200", "NN 512 512 512"})
    void gemmMlpShapes(String shape) {
        String[] f = shape.split(" ");
        long seed = 3000 + shape.hashCode();
        checkGemm(GemmLayout.valueOf(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), Integer.parseInt(f[3]),
                true, new Random(seed), seed);
    }

    void checkGemm(GemmLayout layout, int m, int n, int k, boolean accumulate, Random rnd, long seed) {
        float[] a = normal(rnd, m * k, 1f), b = normal(rnd, k * n, 1f);
        float[] c0 = normal(rnd, m * n, 1f);
        float[] got = c0.clone(), want = c0.clone();
        backend().gemm(layout, m, n, k, a, b, got, accumulate);
        ref.gemm(layout, m, n, k, a, b, want, accumulate);
        // magnitude bound |A|·|B| (+ |C0| when accumulating)
        float[] mag = accumulate ? abs(c0) : new float[m * n];
        ref.gemm(layout, m, n, k, abs(a), abs(b), mag, true);
        String where = "gemm " + layout + " m=" + m + " n=" + n + " k=" + k + " accumulate=" + accumulate + " seed=" + seed;
        for (int i = 0; i < m * n; i++) {
            float tol = GEMM_ATOL + GEMM_RTOL * mag[i];
            if (!(Math.abs(got[i] - want[i]) <= tol)) {
                fail(where + ": C[" + i / n + "," + i % n + "] = " + got[i] + ", reference " + want[i] + " (tolerance " + tol + ")");
            }
        }
        // invariant: with k = 0 the result is 0 (or C unchanged)
        if (k == 0) for (int i = 0; i < m * n; i++) assertEquals(accumulate ? c0[i] : 0f, got[i], where);
        freivalds(layout, m, n, k, a, b, c0, got, accumulate, rnd, where);
    }

    /**
     * A check of C that does not use the reference (Freivalds): for a random vector x,
     * (C − C0)·x must equal op(A)·(op(B)·x), computed here in float64 in O(mk + kn + mn).
     */
    static void freivalds(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c0, float[] c,
                          boolean accumulate, Random rnd, String where) {
        double[] x = new double[n];
        for (int j = 0; j < n; j++) x[j] = rnd.nextGaussian();
        double[] u = new double[k], uMag = new double[k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double bpj = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                u[p] += bpj * x[j];
                uMag[p] += Math.abs(bpj * x[j]);
            }
        }
        for (int i = 0; i < m; i++) {
            double v = 0, vMag = 0, cx = 0;
            for (int p = 0; p < k; p++) {
                double aip = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                v += aip * u[p];
                vMag += Math.abs(aip) * uMag[p];
            }
            for (int j = 0; j < n; j++) cx += ((double) c[i * n + j] - (accumulate ? c0[i * n + j] : 0)) * x[j];
            double cMag = 0;
            if (accumulate) for (int j = 0; j < n; j++) cMag += Math.abs(c0[i * n + j] * x[j]);
            double tol = GEMM_ATOL * n + GEMM_RTOL * (vMag + cMag);
            if (!(Math.abs(cx - v) <= tol)) {
                fail(where + ": row " + i + " of C·x is " + cx + " but A·(B·x) = " + v + " (tolerance " + tol + ")");
            }
        }
    }

    // ---------------------------------------------------------------- softmax family

    static Stream<Arguments> softmaxCases() {
        Stream.Builder<Arguments> s = Stream.builder();
        for (float t : TEMPERATURES) {
            s.add(Arguments.of(t, 3f));      // ordinary logits
            s.add(Arguments.of(t, 1e4f));    // extreme logits
        }
        return s.build();
    }

    static final int[][] SOFTMAX_SHAPES = {{1, 1}, {1, 2}, {3, 7}, {2, 10}, {5, 16}, {4, 17}, {3, 31}, {2, 33},
            {7, 67}, {128, 10}, {3, 1000}, {2, 1203}};

    @ParameterizedTest(name = "T={0} |z|≤{1}")
    @MethodSource("softmaxCases")
    void softmaxForwardBackward(float t, float range) {
        long seed = 4000 + Float.floatToIntBits(t) + (long) range;
        Random rnd = new Random(seed);
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1], n = rows * cols;
            String where = "softmax " + rows + "×" + cols + " T=" + t + " range=" + range + " seed=" + seed;
            float[] x = logits(rnd, n, range);
            float[] got = new float[n], want = new float[n];
            backend().softmaxForward(x, got, rows, cols, t);
            ref.softmaxForward(x, want, rows, cols, t);
            assertClose(where + " forward", want, got, SOFTMAX_ATOL, SOFTMAX_RTOL);
            assertRowsSumTo(where + " forward (rows sum to 1)", got, rows, cols, 1.0, 1e-5);
            // in place
            float[] inPlace = x.clone();
            backend().softmaxForward(inPlace, inPlace, rows, cols, t);
            assertClose(where + " forward in place", want, inPlace, SOFTMAX_ATOL, SOFTMAX_RTOL);

            float[] dy = normal(rnd, n, 1f);
            for (boolean acc : new boolean[] {false, true}) {
                float[] d0 = normal(rnd, n, 1f);
                float[] g = d0.clone(), w = d0.clone();
                backend().softmaxBackward(want, dy, g, rows, cols, t, acc);
                ref.softmaxBackward(want, dy, w, rows, cols, t, acc);
                assertClose(where + " backward acc=" + acc, w, g, SOFTMAX_ATOL / Math.min(t, 1f), SOFTMAX_RTOL);
            }
            // invariant: the softmax Jacobian maps anything to a zero-sum row
            float[] gz = new float[n];
            backend().softmaxBackward(want, dy, gz, rows, cols, t, false);
            assertRowsSumTo(where + " backward (rows sum to 0)", gz, rows, cols, 0.0, 1e-4 / Math.min(t, 1f) * maxAbs(dy));
        }
    }

    @ParameterizedTest(name = "T={0} |z|≤{1}")
    @MethodSource("softmaxCases")
    void logSoftmaxForwardBackward(float t, float range) {
        long seed = 5000 + Float.floatToIntBits(t) + (long) range;
        Random rnd = new Random(seed);
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1], n = rows * cols;
            String where = "logSoftmax " + rows + "×" + cols + " T=" + t + " range=" + range + " seed=" + seed;
            float[] x = logits(rnd, n, range);
            float[] got = new float[n], want = new float[n];
            backend().logSoftmaxForward(x, got, rows, cols, t);
            ref.logSoftmaxForward(x, want, rows, cols, t);
            assertClose(where + " forward", want, got, LOG_SOFTMAX_ATOL, LOG_SOFTMAX_RTOL);
            for (float v : got) assertTrue(v <= 1e-6f && Float.isFinite(v), where + ": log q = " + v);
            float[] q = new float[n];
            for (int i = 0; i < n; i++) q[i] = (float) Math.exp(got[i]);
            assertRowsSumTo(where + " forward (exp rows sum to 1)", q, rows, cols, 1.0, 1e-5);

            float[] dy = normal(rnd, n, 1f);
            for (boolean acc : new boolean[] {false, true}) {
                float[] d0 = normal(rnd, n, 1f);
                float[] g = d0.clone(), w = d0.clone();
                backend().logSoftmaxBackward(want, dy, g, rows, cols, t, acc);
                ref.logSoftmaxBackward(want, dy, w, rows, cols, t, acc);
                // dx = (dy − q Σdy)/T: the error of q Σdy scales with Σ|dy| = cols·|dy|
                float atol = SOFTMAX_ATOL * cols / Math.min(t, 1f);
                assertClose(where + " backward acc=" + acc, w, g, atol, SOFTMAX_RTOL);
            }
        }
    }

    // ---------------------------------------------------------------- fused softmax + cross-entropy

    @ParameterizedTest(name = "T={0} |z|≤{1}")
    @MethodSource("softmaxCases")
    void crossEntropyHard(float t, float range) {
        long seed = 6000 + Float.floatToIntBits(t) + (long) range;
        Random rnd = new Random(seed);
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1], n = rows * cols;
            String where = "softmaxCrossEntropyHard " + rows + "×" + cols + " T=" + t + " range=" + range + " seed=" + seed;
            float[] z = logits(rnd, n, range);
            int[] labels = new int[rows];
            for (int r = 0; r < rows; r++) labels[r] = rnd.nextInt(cols);
            float scale = 1f / rows;
            float[] got = new float[n], want = new float[n];
            double lossGot = backend().softmaxCrossEntropyHard(z, labels, got, rows, cols, t, scale);
            double lossWant = ref.softmaxCrossEntropyHard(z, labels, want, rows, cols, t, scale);
            assertLoss(where, lossWant, lossGot);
            assertTrue(lossGot >= -1e-5 * rows, where + ": loss " + lossGot + " < 0");
            assertEquals(lossGot, backend().softmaxCrossEntropyHard(z, labels, null, rows, cols, t, scale), 0.0,
                    where + ": loss without gradient differs");
            float g = scale / t;
            assertClose(where + " grad", want, got, CE_GRAD_ATOL * g, CE_GRAD_RTOL);
            assertRowsSumTo(where + " grad (rows of q − onehot sum to 0)", got, rows, cols, 0.0, 1e-5 * g);
        }
    }

    @ParameterizedTest(name = "T={0} |z|≤{1}")
    @MethodSource("softmaxCases")
    void crossEntropySoft(float t, float range) {
        long seed = 7000 + Float.floatToIntBits(t) + (long) range;
        Random rnd = new Random(seed);
        for (int[] sh : SOFTMAX_SHAPES) {
            int rows = sh[0], cols = sh[1], n = rows * cols;
            String where = "softmaxCrossEntropySoft " + rows + "×" + cols + " T=" + t + " range=" + range + " seed=" + seed;
            float[] z = logits(rnd, n, range);
            // soft targets: the teacher's softmax at the same T (some rows one-hot-like with exact zeros)
            float[] p = new float[n];
            ref.softmaxForward(logits(rnd, n, range), p, rows, cols, t);
            float scale = 2.5f;
            float[] got = new float[n], want = new float[n];
            double lossGot = backend().softmaxCrossEntropySoft(z, p, got, rows, cols, t, scale);
            double lossWant = ref.softmaxCrossEntropySoft(z, p, want, rows, cols, t, scale);
            assertLoss(where, lossWant, lossGot);
            assertEquals(lossGot, backend().softmaxCrossEntropySoft(z, p, null, rows, cols, t, scale), 0.0,
                    where + ": loss without gradient differs");
            float g = scale / t;
            assertClose(where + " grad", want, got, CE_GRAD_ATOL * g, CE_GRAD_RTOL);
            assertRowsSumTo(where + " grad (rows of q − p sum to 0)", got, rows, cols, 0.0, 2e-5 * g);
            // invariant: cross-entropy with itself as target is minimal, gradient 0
            float[] q = new float[n];
            ref.softmaxForward(z, q, rows, cols, t);
            float[] g0 = new float[n];
            backend().softmaxCrossEntropySoft(z, q, g0, rows, cols, t, scale);
            for (int i = 0; i < n; i++) {
                assertTrue(Math.abs(g0[i]) <= 1e-5f * g, where + ": gradient at p = q is " + g0[i] + " at " + i);
            }
        }
    }

    /**
     * −∞ logits (a masked-out class) anywhere in a row, also where a row's last whole vector overlaps the
     * one before it (SIMD tails): the loss is +∞ where a target puts mass on such a class and finite
     * where none does, exactly as the reference, never NaN; gradients match.
     */
    @Test
    void crossEntropySoftWithMinusInfinityLogitsMatchesTheReference() {
        Random rnd = new Random(7500);
        for (int cols : new int[] {5, 17, 31, 33, 1000}) {
            int rows = 3, n = rows * cols;
            float[] z = logits(rnd, n, 3f);
            float[] p = new float[n];
            ref.softmaxForward(logits(rnd, n, 3f), p, rows, cols, 2f);
            for (int r = 0; r < rows; r++) {
                z[r * cols + Math.min(5, cols - 1)] = Float.NEGATIVE_INFINITY;  // inside the overlap of 17, 31, 33
                z[r * cols + cols - 1] = Float.NEGATIVE_INFINITY;                // in the last vector
            }
            // row 0 puts no mass on its −∞ classes: a finite loss; rows 1 and 2 keep theirs: +∞
            p[Math.min(5, cols - 1)] = 0f;
            p[cols - 1] = 0f;
            for (int r = 1; r < rows; r++) assertTrue(p[r * cols + cols - 1] > 0f, "test setup");
            float[] got = new float[n], want = new float[n];
            double lossWant = ref.softmaxCrossEntropySoft(z, p, want, rows, cols, 2f, 1f);
            double lossGot = backend().softmaxCrossEntropySoft(z, p, got, rows, cols, 2f, 1f);
            String where = "softmaxCrossEntropySoft 3×" + cols + " with −∞ logits";
            assertEquals(Double.POSITIVE_INFINITY, lossWant, where + ": test setup");
            assertEquals(lossWant, lossGot, where + ": loss");
            float[] finiteRow0Want = java.util.Arrays.copyOf(want, cols), finiteRow0Got = java.util.Arrays.copyOf(got, cols);
            assertClose(where + " grad", want, got, CE_GRAD_ATOL, CE_GRAD_RTOL);
            // row 0 alone: a finite loss
            double row0 = backend().softmaxCrossEntropySoft(z, p, null, 1, cols, 2f, 1f);
            assertTrue(Double.isFinite(row0), where + ": row 0's loss " + row0);
            assertLoss(where + " row 0", ref.softmaxCrossEntropySoft(z, p, null, 1, cols, 2f, 1f), row0);
            assertClose(where + " grad row 0", finiteRow0Want, finiteRow0Got, CE_GRAD_ATOL, CE_GRAD_RTOL);
        }
    }

    // ---------------------------------------------------------------- dropout

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0f, 0.1f, 0.2f, 0.5f, 0.9f})
    void dropoutIsBitIdenticalToScalar(float p) {
        long seed = 8000 + Float.floatToIntBits(p);
        Random rnd = new Random(seed);
        int[] ns = {0, 1, 3, 4, 5, 31, 32, 33, 63, 64, 65, 100, 1000, 4099};
        long[] bases = {0, 1, 2, 3, 5, 4096, (1L << 34) - 13, (1L << 33) + 2};
        long[][] seedSteps = {{42, 0}, {0x0123456789abcdefL, 7}, {-1L, (1L << 33) + 5}};
        for (int n : ns) {
            for (long base : bases) {
                for (long[] ss : seedSteps) {
                    String where = "dropout n=" + n + " p=" + p + " indexBase=" + base + " seed=" + ss[0] + " step=" + ss[1]
                            + " (data seed " + seed + ")";
                    float[] x = normal(rnd, n, 1f);
                    float[] got = new float[n], want = new float[n];
                    backend().dropoutForward(x, got, n, p, ss[0], ss[1], base);
                    ref.dropoutForward(x, want, n, p, ss[0], ss[1], base);
                    assertBitIdentical(where + " forward", want, got);
                    float[] inPlace = x.clone();
                    backend().dropoutForward(inPlace, inPlace, n, p, ss[0], ss[1], base);
                    assertBitIdentical(where + " forward in place", want, inPlace);
                    float[] dy = normal(rnd, n, 1f);
                    for (boolean acc : new boolean[] {false, true}) {
                        float[] d0 = normal(rnd, n, 1f);
                        float[] g = d0.clone(), w = d0.clone();
                        backend().dropoutBackward(dy, g, n, p, ss[0], ss[1], base, acc);
                        ref.dropoutBackward(dy, w, n, p, ss[0], ss[1], base, acc);
                        assertBitIdentical(where + " backward acc=" + acc, w, g);
                    }
                }
            }
        }
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {0.2f, 0.5f})
    void dropoutKeepsOneMinusPAndScalesKeptValues(float p) {
        int n = 100_003;
        float[] x = new float[n];
        Arrays.fill(x, 1f);
        float[] y = new float[n];
        backend().dropoutForward(x, y, n, p, 99, 1, 17);
        int kept = 0;
        float scale = 1f / (1f - p);
        for (float v : y) {
            if (v != 0f) {
                kept++;
                assertEquals(scale, v, "kept values are x / (1 − p)");
            }
        }
        // binomial sd = sqrt(n p (1 − p)) ≤ 159; 6 sd
        assertEquals((1 - p) * n, kept, 6 * Math.sqrt(n * p * (1 - p)), "keep count at p=" + p);
    }

    @ParameterizedTest(name = "p={0}")
    @ValueSource(floats = {-0.1f, 1f, Float.NaN})
    void dropoutRejectsBadP(float p) {
        float[] x = new float[4];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend().dropoutForward(x, x, 4, p, 1, 1, 0));
        assertTrue(e.getMessage().contains(String.valueOf(p)), e.getMessage());
    }

    // ---------------------------------------------------------------- bias, ReLU, elementwise, reductions

    @ParameterizedTest(name = "accumulate={0}")
    @ValueSource(booleans = {false, true})
    void biasAndRelu(boolean accumulate) {
        long seed = 9000 + (accumulate ? 1 : 0);
        Random rnd = new Random(seed);
        for (int rows : new int[] {1, 3, 17, 128}) {
            for (int cols : new int[] {1, 7, 16, 17, 33, 67, 100, 1200}) {
                int n = rows * cols;
                String where = rows + "×" + cols + " accumulate=" + accumulate + " seed=" + seed;
                float[] y0 = normal(rnd, n, 2f), bias = normal(rnd, cols, 1f);
                float[] got = y0.clone(), want = y0.clone();
                backend().biasAddForward(got, bias, rows, cols);
                ref.biasAddForward(want, bias, rows, cols);
                // the same single float addition per element: exact
                assertBitIdentical("biasAddForward " + where, want, got);

                float[] dy = normal(rnd, n, 1f);
                float[] db0 = normal(rnd, cols, 1f);
                float[] dbGot = db0.clone(), dbWant = db0.clone();
                backend().biasBackward(dy, dbGot, rows, cols, accumulate);
                ref.biasBackward(dy, dbWant, rows, cols, accumulate);
                for (int j = 0; j < cols; j++) {
                    double mag = accumulate ? Math.abs(db0[j]) : 0;
                    for (int r = 0; r < rows; r++) mag += Math.abs(dy[r * cols + j]);
                    double tol = 1e-7 + BIAS_GRAD_RTOL * mag;
                    assertTrue(Math.abs(dbGot[j] - dbWant[j]) <= tol, "biasBackward " + where + ": db[" + j + "] = "
                            + dbGot[j] + ", reference " + dbWant[j]);
                }

                float[] x = normal(rnd, n, 1f);
                x[0] = -0f;
                float[] rGot = new float[n], rWant = new float[n];
                backend().reluForward(x, rGot, n);
                ref.reluForward(x, rWant, n);
                assertBitIdentical("reluForward " + where, rWant, rGot);
                for (float v : rGot) assertTrue(v >= 0f, "reluForward " + where + ": negative output " + v);
                float[] xi = x.clone();
                backend().reluForward(xi, xi, n);
                assertBitIdentical("reluForward in place " + where, rWant, xi);

                float[] d0 = normal(rnd, n, 1f);
                float[] dxGot = d0.clone(), dxWant = d0.clone();
                backend().reluBackward(rWant, dy, dxGot, n, accumulate);
                ref.reluBackward(rWant, dy, dxWant, n, accumulate);
                assertBitIdentical("reluBackward " + where, dxWant, dxGot);
                if (!accumulate) {
                    float[] dyi = dy.clone();
                    backend().reluBackward(rWant, dyi, dyi, n, false);
                    assertBitIdentical("reluBackward in place " + where, dxWant, dyi);
                }
            }
        }
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 33, 100, 1023, 100_003})
    void axpyScaleSum(int n) {
        long seed = 10_000 + n;
        Random rnd = new Random(seed);
        String where = "n=" + n + " seed=" + seed;
        float[] x = normal(rnd, n, 3f), y0 = normal(rnd, n, 1f);
        float[] got = y0.clone(), want = y0.clone();
        backend().axpy(n, -0.37f, x, got);
        ref.axpy(n, -0.37f, x, want);
        // one float multiply and one add per element, as in the reference (no FMA contraction)
        assertBitIdentical("axpy " + where, want, got);
        got = x.clone();
        want = x.clone();
        backend().scale(n, 1.7f, got);
        ref.scale(n, 1.7f, want);
        assertBitIdentical("scale " + where, want, got);

        double absSum = 0, sqSum = 0;
        for (float v : x) {
            absSum += Math.abs(v);
            sqSum += (double) v * v;
        }
        assertEquals(ref.sum(x, n), backend().sum(x, n), SUM_RTOL * absSum + 1e-300, "sum " + where);
        assertEquals(ref.sumOfSquares(x, n), backend().sumOfSquares(x, n), SUM_RTOL * sqSum + 1e-300,
                "sumOfSquares " + where);
        // invariant: only the first n elements count
        float[] padded = Arrays.copyOf(x, n + 5);
        Arrays.fill(padded, n, n + 5, 1e6f);
        assertEquals(backend().sum(x, n), backend().sum(padded, n), SUM_RTOL * absSum + 1e-300, "sum reads past n " + where);
    }

    // ---------------------------------------------------------------- optimizers

    static Stream<Arguments> sgdCases() {
        return Stream.of(
                Arguments.of(0f, 0f, 0f, false),
                Arguments.of(0.9f, 0f, 0f, false),
                Arguments.of(0.9f, 0.1f, 1e-4f, false),
                Arguments.of(0.99f, 0f, 5e-4f, true),
                Arguments.of(0.5f, 0.5f, 0f, true));
    }

    @ParameterizedTest(name = "momentum={0} dampening={1} wd={2} nesterov={3}")
    @MethodSource("sgdCases")
    void sgd(float momentum, float dampening, float weightDecay, boolean nesterov) {
        long seed = 11_000 + Float.floatToIntBits(momentum) + Float.floatToIntBits(weightDecay) + (nesterov ? 1 : 0);
        Random rnd = new Random(seed);
        for (int n : new int[] {1, 15, 17, 67, 1000}) {
            String where = "sgd n=" + n + " seed=" + seed;
            float[] w1 = normal(rnd, n, 1f), w2 = w1.clone();
            float[] v1 = new float[n], v2 = new float[n];
            for (int step = 0; step < 3; step++) {
                float[] g = normal(rnd, n, 1f);
                backend().sgdUpdate(n, w1, g, v1, 0.1f, momentum, dampening, weightDecay, nesterov);
                ref.sgdUpdate(n, w2, g, v2, 0.1f, momentum, dampening, weightDecay, nesterov);
            }
            assertClose(where + " w", w2, w1, OPTIM_ATOL, OPTIM_RTOL);
            assertClose(where + " v", v2, v1, OPTIM_ATOL, OPTIM_RTOL);
            if (momentum == 0f) {
                float[] w3 = normal(rnd, n, 1f), w4 = w3.clone(), g = normal(rnd, n, 1f);
                backend().sgdUpdate(n, w3, g, null, 0.1f, 0f, 0f, weightDecay, false);
                ref.sgdUpdate(n, w4, g, null, 0.1f, 0f, 0f, weightDecay, false);
                assertClose(where + " w (no velocity)", w4, w3, OPTIM_ATOL, OPTIM_RTOL);
            }
        }
    }

    @ParameterizedTest(name = "weightDecay={0}")
    @ValueSource(floats = {0f, 1e-2f})
    void adam(float weightDecay) {
        long seed = 12_000 + Float.floatToIntBits(weightDecay);
        Random rnd = new Random(seed);
        for (int n : new int[] {1, 15, 17, 67, 1000}) {
            String where = "adam n=" + n + " seed=" + seed;
            float[] w1 = normal(rnd, n, 1f), w2 = w1.clone();
            float[] m1 = new float[n], m2 = new float[n], v1 = new float[n], v2 = new float[n];
            for (long t = 1; t <= 4; t++) {
                float[] g = normal(rnd, n, 1f);
                backend().adamUpdate(n, w1, g, m1, v1, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t);
                ref.adamUpdate(n, w2, g, m2, v2, 1e-3f, 0.9f, 0.999f, 1e-8f, weightDecay, t);
            }
            assertClose(where + " w", w2, w1, ADAM_ATOL, ADAM_RTOL);
            assertClose(where + " m", m2, m1, ADAM_ATOL, ADAM_RTOL);
            assertClose(where + " v", v2, v1, ADAM_ATOL, ADAM_RTOL);
        }
    }

    @ParameterizedTest(name = "maxNorm={0}")
    @ValueSource(floats = {0.5f, 3f, 1e3f})
    void maxNormRows(float maxNorm) {
        long seed = 13_000 + Float.floatToIntBits(maxNorm);
        Random rnd = new Random(seed);
        for (int[] sh : new int[][] {{1, 1}, {3, 17}, {10, 67}, {12, 784}}) {
            int rows = sh[0], cols = sh[1];
            String where = "maxNormRows " + rows + "×" + cols + " maxNorm=" + maxNorm + " seed=" + seed;
            float[] w1 = normal(rnd, rows * cols, 1f), w2 = w1.clone();
            backend().maxNormRows(w1, rows, cols, maxNorm);
            ref.maxNormRows(w2, rows, cols, maxNorm);
            assertClose(where, w2, w1, OPTIM_ATOL, OPTIM_RTOL);
            for (int r = 0; r < rows; r++) {
                double sq = 0;
                for (int j = 0; j < cols; j++) sq += (double) w1[r * cols + j] * w1[r * cols + j];
                assertTrue(Math.sqrt(sq) <= maxNorm * (1 + 1e-5), where + ": row " + r + " norm " + Math.sqrt(sq));
            }
        }
    }

    // ---------------------------------------------------------------- helpers

    protected static float[] normal(Random rnd, int n, float sd) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian() * sd;
        return x;
    }

    /** Logits: ordinary (normal, sd = range) or extreme (uniform in ±range, with repeats of the max). */
    protected static float[] logits(Random rnd, int n, float range) {
        float[] x = new float[n];
        if (range <= 10f) {
            for (int i = 0; i < n; i++) x[i] = (float) rnd.nextGaussian() * range;
        } else {
            for (int i = 0; i < n; i++) x[i] = (rnd.nextFloat() * 2f - 1f) * range;
            if (n > 2) x[n - 1] = x[0];
        }
        return x;
    }

    protected static float[] abs(float[] x) {
        float[] y = new float[x.length];
        for (int i = 0; i < x.length; i++) y[i] = Math.abs(x[i]);
        return y;
    }

    static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) m = Math.max(m, Math.abs(v));
        return m;
    }

    protected static void assertClose(String where, float[] want, float[] got, float atol, float rtol) {
        assertEquals(want.length, got.length, where + ": length");
        for (int i = 0; i < want.length; i++) {
            float tol = atol + rtol * Math.abs(want[i]);
            if (!(Math.abs(got[i] - want[i]) <= tol) && !(Float.isNaN(want[i]) && Float.isNaN(got[i]))) {
                fail(where + ": [" + i + "] = " + got[i] + ", reference " + want[i] + " (tolerance " + tol + ")");
            }
        }
    }

    protected static void assertBitIdentical(String where, float[] want, float[] got) {
        for (int i = 0; i < want.length; i++) {
            if (Float.floatToRawIntBits(want[i]) != Float.floatToRawIntBits(got[i])) {
                fail(where + ": [" + i + "] = " + got[i] + ", reference " + want[i] + " (must be bit-identical)");
            }
        }
    }

    static void assertRowsSumTo(String where, float[] x, int rows, int cols, double target, double tol) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += x[r * cols + j];
            if (!(Math.abs(s - target) <= tol)) fail(where + ": row " + r + " sums to " + s + ", not " + target);
        }
    }

    static void assertLoss(String where, double want, double got) {
        double tol = LOSS_ATOL + LOSS_RTOL * Math.abs(want);
        if (!(Math.abs(got - want) <= tol)) fail(where + ": loss " + got + ", reference " + want + " (tolerance " + tol + ")");
    }
}
