package distill4j.kernels;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

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
 * <p>The table is one abstract class per kernel family, in the family's package ({@code GemmContract},
 * {@code SoftmaxContract}, {@code DropoutContract}, {@code ElementwiseContract}, {@code OptimContract});
 * this base holds the named tolerances and the helpers they share. A backend runs a family's rows by
 * extending its contract (the kernels test-jar ships them) and implementing {@link #backend()}; a
 * backend that cannot run on the machine should skip itself there (e.g. {@code Assumptions.assumeTrue}).
 * Each random case names its seed in the failure message.
 */
public abstract class ContractBase {

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
    protected static final float[] TEMPERATURES = {0.05f, 1f, 2.5f, 20f, 100f};
    /** Small sizes: 1, primes, around vector widths 8/16 and micro-tile sizes 6/8/32/48. */
    protected static final int[] SIZES = {1, 2, 3, 5, 7, 8, 13, 16, 17, 31, 33, 48, 67};

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

    protected static float maxAbs(float[] x) {
        float m = 0;
        for (float v : x) m = Math.max(m, Math.abs(v));
        return m;
    }

    protected static void assertAllClose(String where, float[] want, float[] got, float atol, float rtol) {
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

    protected static void assertRowsSumTo(String where, float[] x, int rows, int cols, double target, double tol) {
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += x[r * cols + j];
            if (!(Math.abs(s - target) <= tol)) fail(where + ": row " + r + " sums to " + s + ", not " + target);
        }
    }

    protected static void assertLoss(String where, double want, double got) {
        double tol = LOSS_ATOL + LOSS_RTOL * Math.abs(want);
        if (!(Math.abs(got - want) <= tol)) fail(where + ": loss " + got + ", reference " + want + " (tolerance " + tol + ")");
    }
}
