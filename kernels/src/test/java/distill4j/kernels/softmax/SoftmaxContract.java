package distill4j.kernels.softmax;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import distill4j.kernels.Backend;
import distill4j.kernels.ContractBase;
import distill4j.kernels.ScalarBackend;
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
 * The backend contract rows of the softmax family (see {@link ContractBase}): each test runs the backend
 * under test and the scalar reference on the same inputs and compares within the named tolerances.
 * Softmax, log-softmax and the fused softmax + cross-entropy, at temperatures 0.05 … 100 and logits up to ±1e4.
 */
public abstract class SoftmaxContract extends ContractBase {

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
            backend().softmax().softmaxForward(x, got, rows, cols, t);
            ref.softmax().softmaxForward(x, want, rows, cols, t);
            assertAllClose(where + " forward", want, got, SOFTMAX_ATOL, SOFTMAX_RTOL);
            assertRowsSumTo(where + " forward (rows sum to 1)", got, rows, cols, 1.0, 1e-5);
            // in place
            float[] inPlace = x.clone();
            backend().softmax().softmaxForward(inPlace, inPlace, rows, cols, t);
            assertAllClose(where + " forward in place", want, inPlace, SOFTMAX_ATOL, SOFTMAX_RTOL);

            float[] dy = normal(rnd, n, 1f);
            for (boolean acc : new boolean[] {false, true}) {
                float[] d0 = normal(rnd, n, 1f);
                float[] g = d0.clone(), w = d0.clone();
                backend().softmax().softmaxBackward(want, dy, g, rows, cols, t, acc);
                ref.softmax().softmaxBackward(want, dy, w, rows, cols, t, acc);
                assertAllClose(where + " backward acc=" + acc, w, g, SOFTMAX_ATOL / Math.min(t, 1f), SOFTMAX_RTOL);
            }
            // invariant: the softmax Jacobian maps anything to a zero-sum row
            float[] gz = new float[n];
            backend().softmax().softmaxBackward(want, dy, gz, rows, cols, t, false);
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
            backend().softmax().logSoftmaxForward(x, got, rows, cols, t);
            ref.softmax().logSoftmaxForward(x, want, rows, cols, t);
            assertAllClose(where + " forward", want, got, LOG_SOFTMAX_ATOL, LOG_SOFTMAX_RTOL);
            for (float v : got) assertTrue(v <= 1e-6f && Float.isFinite(v), where + ": log q = " + v);
            float[] q = new float[n];
            for (int i = 0; i < n; i++) q[i] = (float) Math.exp(got[i]);
            assertRowsSumTo(where + " forward (exp rows sum to 1)", q, rows, cols, 1.0, 1e-5);

            float[] dy = normal(rnd, n, 1f);
            for (boolean acc : new boolean[] {false, true}) {
                float[] d0 = normal(rnd, n, 1f);
                float[] g = d0.clone(), w = d0.clone();
                backend().softmax().logSoftmaxBackward(want, dy, g, rows, cols, t, acc);
                ref.softmax().logSoftmaxBackward(want, dy, w, rows, cols, t, acc);
                // dx = (dy − q Σdy)/T: the error of q Σdy scales with Σ|dy| = cols·|dy|
                float atol = SOFTMAX_ATOL * cols / Math.min(t, 1f);
                assertAllClose(where + " backward acc=" + acc, w, g, atol, SOFTMAX_RTOL);
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
            double lossGot = backend().softmax().softmaxCrossEntropyHard(z, labels, got, rows, cols, t, scale);
            double lossWant = ref.softmax().softmaxCrossEntropyHard(z, labels, want, rows, cols, t, scale);
            assertLoss(where, lossWant, lossGot);
            assertTrue(lossGot >= -1e-5 * rows, where + ": loss " + lossGot + " < 0");
            assertEquals(lossGot, backend().softmax().softmaxCrossEntropyHard(z, labels, null, rows, cols, t, scale), 0.0,
                    where + ": loss without gradient differs");
            float g = scale / t;
            assertAllClose(where + " grad", want, got, CE_GRAD_ATOL * g, CE_GRAD_RTOL);
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
            ref.softmax().softmaxForward(logits(rnd, n, range), p, rows, cols, t);
            float scale = 2.5f;
            float[] got = new float[n], want = new float[n];
            double lossGot = backend().softmax().softmaxCrossEntropySoft(z, p, got, rows, cols, t, scale);
            double lossWant = ref.softmax().softmaxCrossEntropySoft(z, p, want, rows, cols, t, scale);
            assertLoss(where, lossWant, lossGot);
            assertEquals(lossGot, backend().softmax().softmaxCrossEntropySoft(z, p, null, rows, cols, t, scale), 0.0,
                    where + ": loss without gradient differs");
            float g = scale / t;
            assertAllClose(where + " grad", want, got, CE_GRAD_ATOL * g, CE_GRAD_RTOL);
            assertRowsSumTo(where + " grad (rows of q − p sum to 0)", got, rows, cols, 0.0, 2e-5 * g);
            // invariant: cross-entropy with itself as target is minimal, gradient 0
            float[] q = new float[n];
            ref.softmax().softmaxForward(z, q, rows, cols, t);
            float[] g0 = new float[n];
            backend().softmax().softmaxCrossEntropySoft(z, q, g0, rows, cols, t, scale);
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
            ref.softmax().softmaxForward(logits(rnd, n, 3f), p, rows, cols, 2f);
            for (int r = 0; r < rows; r++) {
                z[r * cols + Math.min(5, cols - 1)] = Float.NEGATIVE_INFINITY;  // inside the overlap of 17, 31, 33
                z[r * cols + cols - 1] = Float.NEGATIVE_INFINITY;                // in the last vector
            }
            // row 0 puts no mass on its −∞ classes: a finite loss; rows 1 and 2 keep theirs: +∞
            p[Math.min(5, cols - 1)] = 0f;
            p[cols - 1] = 0f;
            for (int r = 1; r < rows; r++) assertTrue(p[r * cols + cols - 1] > 0f, "test setup");
            float[] got = new float[n], want = new float[n];
            double lossWant = ref.softmax().softmaxCrossEntropySoft(z, p, want, rows, cols, 2f, 1f);
            double lossGot = backend().softmax().softmaxCrossEntropySoft(z, p, got, rows, cols, 2f, 1f);
            String where = "softmaxCrossEntropySoft 3×" + cols + " with −∞ logits";
            assertEquals(Double.POSITIVE_INFINITY, lossWant, where + ": test setup");
            assertEquals(lossWant, lossGot, where + ": loss");
            float[] finiteRow0Want = java.util.Arrays.copyOf(want, cols), finiteRow0Got = java.util.Arrays.copyOf(got, cols);
            assertAllClose(where + " grad", want, got, CE_GRAD_ATOL, CE_GRAD_RTOL);
            // row 0 alone: a finite loss
            double row0 = backend().softmax().softmaxCrossEntropySoft(z, p, null, 1, cols, 2f, 1f);
            assertTrue(Double.isFinite(row0), where + ": row 0's loss " + row0);
            assertLoss(where + " row 0", ref.softmax().softmaxCrossEntropySoft(z, p, null, 1, cols, 2f, 1f), row0);
            assertAllClose(where + " grad row 0", finiteRow0Want, finiteRow0Got, CE_GRAD_ATOL, CE_GRAD_RTOL);
        }
    }
}
