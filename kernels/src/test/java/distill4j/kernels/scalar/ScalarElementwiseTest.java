package distill4j.kernels.scalar;

import static distill4j.kernels.scalar.Close.assertClose;
import static distill4j.kernels.scalar.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Philox;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Dropout (Philox masks), bias, ReLU, axpy/scale and the float64 reductions. */
class ScalarElementwiseTest {
    /** x · (1/(1 − p)) in float32: the scale and the product are each rounded once. */
    static final double DROPOUT_RTOL = 0x1p-23;

    // ---------------------------------------------------------------- dropout

    @Test
    void keepRateScaleAndMaskFollowPhilox() {
        long seed = 0xDEADBEEFL;
        int n = 100_003; // odd: not a multiple of Philox's 4 lanes
        Random rnd = new Random(seed);
        float[] x = uniform(rnd, n, 4);
        for (int i = 0; i < n; i++) if (x[i] == 0f) x[i] = 1f; // nonzero, so a zero output means dropped
        for (float p : new float[] {0.1f, 0.5f, 0.8f}) {
            float[] y = new float[n];
            ScalarElementwise.dropoutForward(x, y, n, p, seed, 3, 0);
            int kept = 0;
            for (int i = 0; i < n; i++) {
                boolean keep = Philox.keep(seed, 3, i, p);
                if (keep) {
                    kept++;
                    assertClose(x[i] / (1.0 - p), y[i], 0, DROPOUT_RTOL, "kept element " + i + " p=" + p);
                } else {
                    assertEquals(0f, y[i], "dropped element " + i + " p=" + p);
                }
            }
            // binomial: sd = sqrt(n p (1 − p)) ≤ 159; allow 5 sd
            double sd = Math.sqrt(n * p * (1.0 - p));
            assertEquals(n * (1.0 - p), kept, 5 * sd, "keep rate at p=" + p + " seed=" + seed);
        }
    }

    @Test
    void backwardUsesTheForwardMaskAndScale() {
        long seed = 11, step = 42, base = 1_000_000_007L;
        int n = 1031;
        Random rnd = new Random(seed);
        float p = 0.3f;
        float[] x = uniform(rnd, n, 1), dy = uniform(rnd, n, 1);
        for (int i = 0; i < n; i++) {
            if (x[i] == 0f) x[i] = 0.5f;
            if (dy[i] == 0f) dy[i] = 0.5f;
        }
        float[] y = new float[n], dx = new float[n];
        ScalarElementwise.dropoutForward(x, y, n, p, seed, step, base);
        ScalarElementwise.dropoutBackward(dy, dx, n, p, seed, step, base, false);
        for (int i = 0; i < n; i++) {
            assertEquals(y[i] != 0f, dx[i] != 0f, "same mask at " + i);
            // dy/dx of y = x·keep/(1 − p) is keep/(1 − p): the same factor applied to dy
            if (y[i] != 0f) assertEquals(y[i] / x[i], dx[i] / dy[i], 1e-6f * (y[i] / x[i]), "same scale at " + i);
        }
        float[] acc = uniform(rnd, n, 1), acc0 = acc.clone();
        ScalarElementwise.dropoutBackward(dy, acc, n, p, seed, step, base, true);
        for (int i = 0; i < n; i++) assertEquals(acc0[i] + dx[i], acc[i], "accumulate adds at " + i);
        // dx may be dy when not accumulating
        float[] inPlace = dy.clone();
        ScalarElementwise.dropoutBackward(inPlace, inPlace, n, p, seed, step, base, false);
        assertArrayEquals(dx, inPlace);
    }

    @Test
    void pZeroCopiesBitForBit() {
        float[] x = {1.5f, -0f, 0f, Float.NaN, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        float[] y = new float[x.length];
        ScalarElementwise.dropoutForward(x, y, x.length, 0f, 5, 6, 7);
        assertArrayEquals(x, y);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), "bits of element " + i);
        }
        float[] dx = new float[x.length];
        ScalarElementwise.dropoutBackward(x, dx, x.length, 0f, 5, 6, 7, false);
        assertArrayEquals(x, dx);
    }

    @Test
    void probabilityOutsideZeroOneIsRejected() {
        float[] a = new float[4];
        for (float p : new float[] {1f, 1.5f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> ScalarElementwise.dropoutForward(a, a, 4, p, 0, 0, 0), "p=" + p);
            assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains(String.valueOf(p)), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> ScalarElementwise.dropoutBackward(a, a, 4, p, 0, 0, 0, false), "backward p=" + p);
        }
    }

    @Test
    void maskDependsOnlyOnSeedStepAndIndex() {
        long seed = 123456789L;
        int n = 77;
        float p = 0.5f;
        Random rnd = new Random(seed);
        float[] x = uniform(rnd, n, 1);
        for (int i = 0; i < n; i++) if (x[i] == 0f) x[i] = 1f;
        float[] whole = new float[n];
        ScalarElementwise.dropoutForward(x, whole, n, p, seed, 9, 1000);

        // two halves at the matching index bases: identical (unaligned split point 37 on purpose)
        int half = 37;
        float[] lo = new float[half], hi = new float[n - half];
        ScalarElementwise.dropoutForward(Arrays.copyOfRange(x, 0, half), lo, half, p, seed, 9, 1000);
        ScalarElementwise.dropoutForward(Arrays.copyOfRange(x, half, n), hi, n - half, p, seed, 9, 1000 + half);
        float[] joined = new float[n];
        System.arraycopy(lo, 0, joined, 0, half);
        System.arraycopy(hi, 0, joined, half, n - half);
        assertArrayEquals(whole, joined, "halves with indexBase give the whole");

        // repeatable; independent of the data; changes with step, seed and index base
        float[] again = new float[n];
        ScalarElementwise.dropoutForward(x, again, n, p, seed, 9, 1000);
        assertArrayEquals(whole, again);
        float[] ones = new float[n], onesOut = new float[n];
        Arrays.fill(ones, 1f);
        ScalarElementwise.dropoutForward(ones, onesOut, n, p, seed, 9, 1000);
        for (int i = 0; i < n; i++) assertEquals(whole[i] != 0f, onesOut[i] != 0f, "mask ignores values, i=" + i);
        assertTrue(!Arrays.equals(mask(x, p, seed, 10, 1000), mask(x, p, seed, 9, 1000)), "step changes the mask");
        assertTrue(!Arrays.equals(mask(x, p, seed + 1, 9, 1000), mask(x, p, seed, 9, 1000)), "seed changes the mask");
        assertTrue(!Arrays.equals(mask(x, p, seed, 9, 1001), mask(x, p, seed, 9, 1000)), "index base shifts the mask");
        // in place
        float[] inPlace = x.clone();
        ScalarElementwise.dropoutForward(inPlace, inPlace, n, p, seed, 9, 1000);
        assertArrayEquals(whole, inPlace, "y may be x");
    }

    private static boolean[] mask(float[] x, float p, long seed, long step, long base) {
        float[] y = new float[x.length];
        ScalarElementwise.dropoutForward(x, y, x.length, p, seed, step, base);
        boolean[] m = new boolean[x.length];
        for (int i = 0; i < m.length; i++) m[i] = y[i] != 0f;
        return m;
    }

    // ---------------------------------------------------------------- bias, ReLU, BLAS-1, reductions

    @Test
    void biasForwardAndBackward() {
        float[] y = {1, 2, 3, 4, 5, 6};
        ScalarElementwise.biasAddForward(y, new float[] {10, 20, 30}, 2, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, y);
        float[] db = {100, 100, 100};
        ScalarElementwise.biasBackward(new float[] {1, 2, 3, 4, 5, 6}, db, 2, 3, false);
        assertArrayEquals(new float[] {5, 7, 9}, db);
        ScalarElementwise.biasBackward(new float[] {1, 2, 3, 4, 5, 6}, db, 2, 3, true);
        assertArrayEquals(new float[] {10, 14, 18}, db);
        ScalarElementwise.biasBackward(new float[0], db, 0, 3, false);
        assertArrayEquals(new float[] {0, 0, 0}, db, "zero rows sum to zero");
    }

    @Test
    void reluForwardAndBackward() {
        float[] x = {-2, -0f, 0, 3, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] y = new float[x.length];
        ScalarElementwise.reluForward(x, y, x.length);
        assertArrayEquals(new float[] {0, 0, 0, 3, Float.MIN_VALUE, 0}, y);
        float[] dy = {1, 2, 3, 4, 5, 6}, dx = new float[6];
        ScalarElementwise.reluBackward(y, dy, dx, 6, false);
        assertArrayEquals(new float[] {0, 0, 0, 4, 5, 0}, dx);
        ScalarElementwise.reluBackward(x, dy, dx, 6, true); // the input gives the same sign test
        assertArrayEquals(new float[] {0, 0, 0, 8, 10, 0}, dx);
        float[] inPlace = x.clone();
        ScalarElementwise.reluForward(inPlace, inPlace, inPlace.length);
        assertArrayEquals(y, inPlace);
    }

    @Test
    void axpyScaleAndFloat64Reductions() {
        float[] y = {1, 2, 3};
        ScalarElementwise.axpy(3, 2f, new float[] {1, -1, 0.5f}, y);
        assertArrayEquals(new float[] {3, 0, 4}, y);
        ScalarElementwise.scale(3, -0.5f, y);
        assertArrayEquals(new float[] {-1.5f, -0f, -2}, y);
        // 1 + 2^-30 · 2^20 times: lost entirely in a float32 accumulator, kept in float64
        int n = 1 << 20;
        float[] x = new float[n + 1];
        x[0] = 1f;
        Arrays.fill(x, 1, n + 1, 0x1p-30f);
        assertEquals(1.0 + 0x1p-10, ScalarElementwise.sum(x, n + 1), 0.0);
        Arrays.fill(x, 1, n + 1, 0x1p-13f); // squares 2^-26: below half an ulp of 1 in float32
        assertEquals(1.0 + 0x1p-6, ScalarElementwise.sumOfSquares(x, n + 1), 0.0);
        assertEquals(0.0, ScalarElementwise.sum(x, 0), 0.0);
        assertEquals(25.0, ScalarElementwise.sumOfSquares(new float[] {3, -4, 99}, 2), 0.0, "only n elements");
    }
}
