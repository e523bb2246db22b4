package distill4j.kernels.simd;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import distill4j.kernels.elementwise.SimdElementwise;
import distill4j.kernels.optim.SimdOptim;
import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The element-wise passes that run on the pool above {@link SimdParams#ELEMENTWISE_PARALLEL_MIN} give
 * the same bits on 2 threads as on 1 (tolerance: none), at sizes with vector tails and odd widths.
 * Seed 77.
 */
class ParallelPassesTest {
    static final long SEED = 77;
    /** (rows, cols): the MLP's hidden and input widths at batch 128, odd sizes with tails. */
    static final int[][] SHAPES = {{128, 1200}, {128, 784}, {257, 131}, {1200, 784}, {3, 70001}};

    @AfterEach
    void reset() {
        SimdBackend.setThreads(1);
    }

    @Test
    void twoThreadsGiveOneThreadsBits() {
        for (int[] s : SHAPES) {
            float[][] one = run(1, s[0], s[1]), two = run(2, s[0], s[1]);
            for (int i = 0; i < one.length; i++) {
                assertArrayEquals(one[i], two[i], "output " + i + " at " + s[0] + "x" + s[1] + ", seed " + SEED);
            }
        }
    }

    private static float[][] run(int threads, int rows, int cols) {
        SimdBackend.setThreads(threads);
        SimdElementwise e = new SimdElementwise();
        SimdOptim o = new SimdOptim();
        SplittableRandom rnd = new SplittableRandom(SEED);
        int n = rows * cols;
        float[] x = new float[n], y = new float[n], g = new float[n], v = new float[n], bias = new float[cols];
        for (int i = 0; i < n; i++) {
            x[i] = (float) rnd.nextGaussian();
            g[i] = (float) rnd.nextGaussian();
            v[i] = (float) rnd.nextGaussian();
        }
        for (int j = 0; j < cols; j++) bias[j] = (float) rnd.nextGaussian();
        float[] h = x.clone();
        e.biasAddForward(h, bias, rows, cols);
        float[] a = new float[n];
        e.reluForward(h, a, n);
        float[] dx = g.clone();
        e.reluBackward(a, v, dx, n, true);
        float[] dx2 = new float[n];
        e.reluBackward(a, v, dx2, n, false);
        float[] db = bias.clone(), db2 = new float[cols];
        e.biasBackward(g, db, rows, cols, true);
        e.biasBackward(g, db2, rows, cols, false);
        float[] ax = y.clone();
        e.axpy(n, 0.3f, x, ax);
        float[] sc = x.clone();
        e.scale(n, -1.7f, sc);
        float[] w = x.clone(), vel = v.clone();
        o.sgdUpdate(n, w, g, vel, 0.05f, 0.9f, 0f, 1e-4f, false);
        float[] wn = w.clone(), vn = v.clone();
        o.sgdUpdate(n, wn, g, vn, 0.05f, 0.9f, 0f, 0f, true);
        float[] wp = w.clone();
        o.sgdUpdate(n, wp, g, null, 0.05f, 0f, 0f, 0f, false);
        float[] fl = x.clone();
        e.fill(n - 3, -0f, fl);
        float[] mn = x.clone();
        o.maxNormRows(mn, rows, cols, 1.5f);
        return new float[][] {h, a, dx, dx2, db, db2, ax, sc, w, vel, wn, vn, wp, fl, mn};
    }
}
