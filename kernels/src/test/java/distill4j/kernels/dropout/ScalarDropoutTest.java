package distill4j.kernels.dropout;

import static distill4j.kernels.Close.assertClose;
import static distill4j.kernels.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scalar dropout: Philox masks, keep rate, scale, the backward's mask; and the contract table's scalar row. */
class ScalarDropoutTest extends DropoutContract {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }

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
            new ScalarDropout().dropoutForward(x, y, n, p, seed, 3, 0);
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
        new ScalarDropout().dropoutForward(x, y, n, p, seed, step, base);
        new ScalarDropout().dropoutBackward(dy, dx, n, p, seed, step, base, false);
        for (int i = 0; i < n; i++) {
            assertEquals(y[i] != 0f, dx[i] != 0f, "same mask at " + i);
            // dy/dx of y = x·keep/(1 − p) is keep/(1 − p): the same factor applied to dy
            if (y[i] != 0f) assertEquals(y[i] / x[i], dx[i] / dy[i], 1e-6f * (y[i] / x[i]), "same scale at " + i);
        }
        float[] acc = uniform(rnd, n, 1), acc0 = acc.clone();
        new ScalarDropout().dropoutBackward(dy, acc, n, p, seed, step, base, true);
        for (int i = 0; i < n; i++) assertEquals(acc0[i] + dx[i], acc[i], "accumulate adds at " + i);
        // dx may be dy when not accumulating
        float[] inPlace = dy.clone();
        new ScalarDropout().dropoutBackward(inPlace, inPlace, n, p, seed, step, base, false);
        assertArrayEquals(dx, inPlace);
    }

    @Test
    void pZeroCopiesBitForBit() {
        float[] x = {1.5f, -0f, 0f, Float.NaN, Float.MIN_VALUE, -Float.MAX_VALUE, Float.POSITIVE_INFINITY};
        float[] y = new float[x.length];
        new ScalarDropout().dropoutForward(x, y, x.length, 0f, 5, 6, 7);
        assertArrayEquals(x, y);
        for (int i = 0; i < x.length; i++) {
            assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), "bits of element " + i);
        }
        float[] dx = new float[x.length];
        new ScalarDropout().dropoutBackward(x, dx, x.length, 0f, 5, 6, 7, false);
        assertArrayEquals(x, dx);
    }

    @Test
    void probabilityOutsideZeroOneIsRejected() {
        float[] a = new float[4];
        for (float p : new float[] {1f, 1.5f, -0.1f, Float.NaN, Float.POSITIVE_INFINITY}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> new ScalarDropout().dropoutForward(a, a, 4, p, 0, 0, 0), "p=" + p);
            assertTrue(e.getMessage().contains("dropout") && e.getMessage().contains(String.valueOf(p)), e.getMessage());
            assertThrows(IllegalArgumentException.class,
                    () -> new ScalarDropout().dropoutBackward(a, a, 4, p, 0, 0, 0, false), "backward p=" + p);
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
        new ScalarDropout().dropoutForward(x, whole, n, p, seed, 9, 1000);

        // two halves at the matching index bases: identical (unaligned split point 37 on purpose)
        int half = 37;
        float[] lo = new float[half], hi = new float[n - half];
        new ScalarDropout().dropoutForward(Arrays.copyOfRange(x, 0, half), lo, half, p, seed, 9, 1000);
        new ScalarDropout().dropoutForward(Arrays.copyOfRange(x, half, n), hi, n - half, p, seed, 9, 1000 + half);
        float[] joined = new float[n];
        System.arraycopy(lo, 0, joined, 0, half);
        System.arraycopy(hi, 0, joined, half, n - half);
        assertArrayEquals(whole, joined, "halves with indexBase give the whole");

        // repeatable; independent of the data; changes with step, seed and index base
        float[] again = new float[n];
        new ScalarDropout().dropoutForward(x, again, n, p, seed, 9, 1000);
        assertArrayEquals(whole, again);
        float[] ones = new float[n], onesOut = new float[n];
        Arrays.fill(ones, 1f);
        new ScalarDropout().dropoutForward(ones, onesOut, n, p, seed, 9, 1000);
        for (int i = 0; i < n; i++) assertEquals(whole[i] != 0f, onesOut[i] != 0f, "mask ignores values, i=" + i);
        assertTrue(!Arrays.equals(mask(x, p, seed, 10, 1000), mask(x, p, seed, 9, 1000)), "step changes the mask");
        assertTrue(!Arrays.equals(mask(x, p, seed + 1, 9, 1000), mask(x, p, seed, 9, 1000)), "seed changes the mask");
        assertTrue(!Arrays.equals(mask(x, p, seed, 9, 1001), mask(x, p, seed, 9, 1000)), "index base shifts the mask");
        // in place
        float[] inPlace = x.clone();
        new ScalarDropout().dropoutForward(inPlace, inPlace, n, p, seed, 9, 1000);
        assertArrayEquals(whole, inPlace, "y may be x");
    }

    private static boolean[] mask(float[] x, float p, long seed, long step, long base) {
        float[] y = new float[x.length];
        new ScalarDropout().dropoutForward(x, y, x.length, p, seed, step, base);
        boolean[] m = new boolean[x.length];
        for (int i = 0; i < m.length; i++) m[i] = y[i] != 0f;
        return m;
    }
}
