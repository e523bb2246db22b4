package distill4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Test;

/**
 * {@link SimdExp}: the vector exp equals its scalar twin bit for bit, and the twin is within
 * {@link #EXP_RTOL} of Math.exp over a dense sweep of [−104, 0], the arguments softmax gives it.
 */
class SimdExpTest {
    /** Relative error vs Math.exp where e^x is a normal float: about 1 ulp (2^−23 ≈ 1.19e−7) plus rounding. */
    static final double EXP_RTOL = 1.5e-7;
    /** Below ln FLT_MIN the result is flushed to 0: absolute error at most FLT_MIN. */
    static final double EXP_UNDERFLOW_ATOL = Float.MIN_NORMAL;

    /** Every float in [lo, 0] with step (a dense sweep: 2^22 points). */
    private static float[] sweep(float lo, int n) {
        float[] x = new float[n];
        for (int i = 0; i < n; i++) x[i] = lo * i / (n - 1);
        return x;
    }

    @Test
    void vectorEqualsScalarTwinAndMathExpOverTheSoftmaxRange() {
        int n = (1 << 22) + 5; // + 5: a masked tail at the end of the array
        float[] x = sweep(-104f, n), got = new float[n];
        SimdExp.expArray(x, got, n);
        double worst = 0;
        float worstAt = 0;
        for (int i = 0; i < n; i++) {
            float twin = SimdExp.exp(x[i]);
            if (Float.floatToRawIntBits(got[i]) != Float.floatToRawIntBits(twin)) {
                fail("vector exp(" + x[i] + ") = " + got[i] + " but scalar twin " + twin);
            }
            double want = Math.exp(x[i]);
            if (x[i] >= SimdExp.EXP_LO && want >= Float.MIN_NORMAL) {
                double rel = Math.abs(twin - want) / want;
                if (rel > worst) {
                    worst = rel;
                    worstAt = x[i];
                }
            } else {
                assertTrue(Math.abs(twin - want) <= EXP_UNDERFLOW_ATOL && twin >= 0f,
                        "exp(" + x[i] + ") = " + twin + ", Math.exp " + want);
            }
        }
        System.out.printf("SimdExp: max relative error %.3g at x = %s over [-104, 0]%n", worst, worstAt);
        assertTrue(worst <= EXP_RTOL, "max relative error " + worst + " at x = " + worstAt);
    }

    @Test
    void specialArguments() {
        assertEquals(1f, SimdExp.exp(0f), 0f, "e^0 = 1 exactly: the row maximum gets exactly 1");
        assertEquals(1f, SimdExp.exp(-0f), 0f);
        float[] special = {Float.NEGATIVE_INFINITY, -Float.MAX_VALUE, -1e30f, -1e6f, -200f, -104f, -87.4f, Float.NaN,
                -Float.MIN_VALUE, -1e-30f, 1e-7f, 0.5f, 10f, 88f};
        // each special value 2·LANES + 3 times in a row: it falls in whole vectors, at several lanes
        int per = 2 * SimdParams.LANES + 3;
        float[] xs = new float[special.length * per], got = new float[xs.length];
        for (int i = 0; i < xs.length; i++) xs[i] = special[i / per];
        SimdExp.expArray(xs, got, xs.length);
        for (int i = 0; i < xs.length; i++) {
            float x = xs[i], twin = SimdExp.exp(x);
            assertEquals(Float.floatToRawIntBits(twin), Float.floatToRawIntBits(got[i]), "vector vs twin at " + x);
            double want = Math.exp(x);
            if (Float.isNaN(x)) {
                assertTrue(Float.isNaN(twin), "exp(NaN) = " + twin);
            } else if (want < Float.MIN_NORMAL) {
                assertEquals(0f, twin, 0f, "exp(" + x + ") underflows to 0");
                assertEquals(0, Float.floatToRawIntBits(twin), "exp(" + x + ") is +0.0");
            } else {
                assertEquals(want, twin, EXP_RTOL * want, "exp(" + x + ")");
            }
        }
    }
}
