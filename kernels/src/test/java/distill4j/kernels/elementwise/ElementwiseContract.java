package distill4j.kernels.elementwise;

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
 * The backend contract rows of the elementwise family (see {@link ContractBase}): each test runs the backend
 * under test and the scalar reference on the same inputs and compares within the named tolerances.
 * Bias, ReLU (NaN passed through), axpy, scale and the float64 sums.
 */
public abstract class ElementwiseContract extends ContractBase {

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
                backend().elementwise().biasAddForward(got, bias, rows, cols);
                ref.elementwise().biasAddForward(want, bias, rows, cols);
                // the same single float addition per element: exact
                assertBitIdentical("biasAddForward " + where, want, got);

                float[] dy = normal(rnd, n, 1f);
                float[] db0 = normal(rnd, cols, 1f);
                float[] dbGot = db0.clone(), dbWant = db0.clone();
                backend().elementwise().biasBackward(dy, dbGot, rows, cols, accumulate);
                ref.elementwise().biasBackward(dy, dbWant, rows, cols, accumulate);
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
                backend().elementwise().reluForward(x, rGot, n);
                ref.elementwise().reluForward(x, rWant, n);
                assertBitIdentical("reluForward " + where, rWant, rGot);
                for (float v : rGot) assertTrue(v >= 0f, "reluForward " + where + ": negative output " + v);
                float[] xi = x.clone();
                backend().elementwise().reluForward(xi, xi, n);
                assertBitIdentical("reluForward in place " + where, rWant, xi);

                float[] d0 = normal(rnd, n, 1f);
                float[] dxGot = d0.clone(), dxWant = d0.clone();
                backend().elementwise().reluBackward(rWant, dy, dxGot, n, accumulate);
                ref.elementwise().reluBackward(rWant, dy, dxWant, n, accumulate);
                assertBitIdentical("reluBackward " + where, dxWant, dxGot);
                if (!accumulate) {
                    float[] dyi = dy.clone();
                    backend().elementwise().reluBackward(rWant, dyi, dyi, n, false);
                    assertBitIdentical("reluBackward in place " + where, dxWant, dyi);
                }
            }
        }
    }

    /**
     * ReLU passes NaN through, as PyTorch does: relu(NaN) = NaN, so a NaN weight reaches the loss (and
     * the NaN-loss guard) instead of being hidden as 0; −0 and negatives give +0. Every position of a
     * vector and of the scalar tail, in place and not; the backward of a NaN activation is 0 (as
     * PyTorch's threshold_backward).
     */
    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {1, 7, 16, 17, 33, 67})
    void reluPropagatesNaN(int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = i % 4 == 0 ? Float.NaN : i % 4 == 1 ? -0f : i % 4 == 2 ? -1.5f : 2.5f;
        x[n - 1] = Float.NaN;  // the last element lies in the scalar tail where n is not a multiple of the lanes
        float[] y = new float[n];
        backend().elementwise().reluForward(x, y, n);
        float[] inPlace = x.clone();
        backend().elementwise().reluForward(inPlace, inPlace, n);
        for (int i = 0; i < n; i++) {
            float want = Float.isNaN(x[i]) ? Float.NaN : x[i] > 0f ? x[i] : 0f;
            // assertEquals(float, float) compares floatToIntBits: NaN equals NaN, +0 differs from −0
            assertEquals(want, y[i], "relu(" + x[i] + ") at [" + i + "] of " + n);
            assertEquals(want, inPlace[i], "relu(" + x[i] + ") in place at [" + i + "] of " + n);
        }
        float[] dy = new float[n];
        Arrays.fill(dy, 3f);
        float[] dx = new float[n];
        backend().elementwise().reluBackward(y, dy, dx, n, false);
        for (int i = 0; i < n; i++) assertEquals(y[i] > 0f ? 3f : 0f, dx[i], "relu backward at [" + i + "] of " + n);
    }

    @ParameterizedTest(name = "n={0}")
    @ValueSource(ints = {0, 1, 7, 15, 16, 17, 33, 100, 1023, 100_003})
    void axpyScaleSum(int n) {
        long seed = 10_000 + n;
        Random rnd = new Random(seed);
        String where = "n=" + n + " seed=" + seed;
        float[] x = normal(rnd, n, 3f), y0 = normal(rnd, n, 1f);
        float[] got = y0.clone(), want = y0.clone();
        backend().elementwise().axpy(n, -0.37f, x, got);
        ref.elementwise().axpy(n, -0.37f, x, want);
        // one float multiply and one add per element, as in the reference (no FMA contraction)
        assertBitIdentical("axpy " + where, want, got);
        got = x.clone();
        want = x.clone();
        backend().elementwise().scale(n, 1.7f, got);
        ref.elementwise().scale(n, 1.7f, want);
        assertBitIdentical("scale " + where, want, got);
        // fill: every element takes the value's exact bits (−0 and a NaN payload included); beyond n untouched
        for (float v : new float[] {0f, -0f, 2.5f, Float.intBitsToFloat(0x7fc01234)}) {
            got = Arrays.copyOf(x, n + 3);
            want = Arrays.copyOf(x, n + 3);
            backend().elementwise().fill(n, v, got);
            ref.elementwise().fill(n, v, want);
            assertBitIdentical("fill " + v + " " + where, want, got);
            for (int i = 0; i < n; i++) {
                if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(v)) {
                    throw new AssertionError("fill " + v + " " + where + ": element " + i + " is " + got[i]);
                }
            }
        }

        double absSum = 0, sqSum = 0;
        for (float v : x) {
            absSum += Math.abs(v);
            sqSum += (double) v * v;
        }
        assertEquals(ref.elementwise().sum(x, n), backend().elementwise().sum(x, n), SUM_RTOL * absSum + 1e-300, "sum " + where);
        assertEquals(ref.elementwise().sumOfSquares(x, n), backend().elementwise().sumOfSquares(x, n), SUM_RTOL * sqSum + 1e-300,
                "sumOfSquares " + where);
        // invariant: only the first n elements count
        float[] padded = Arrays.copyOf(x, n + 5);
        Arrays.fill(padded, n, n + 5, 1e6f);
        assertEquals(backend().elementwise().sum(x, n), backend().elementwise().sum(padded, n), SUM_RTOL * absSum + 1e-300, "sum reads past n " + where);
    }
}
