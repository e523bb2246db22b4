package distill4j.kernels.gemm;

import static distill4j.kernels.Close.assertClose;
import static distill4j.kernels.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import distill4j.kernels.gemm.GemmLayout;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reference GEMM against op(A)·op(B) built explicitly in float64, in all layouts and modes. */
class ScalarGemmTest extends GemmContract {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }

    /** The kernel accumulates in float64 and rounds once to float32: one rounding of relative 2^-24, so 1 ulp. */
    static final double GEMM_RTOL = 0x1p-23;
    /** Summation order differs from the test's; float64 error, relative to Σ|a·b| of the dot product. */
    static final double GEMM_ATOL_PER_ABS_SUM = 1e-13;

    static final int[] SIZES = {0, 1, 2, 3, 7, 17};
    static final int[] DEPTHS = {0, 1, 5, 33};

    /** op(X) as a dense (rows, cols) float64 matrix, X stored row-major as the layout says. */
    static double[][] op(float[] x, int rows, int cols, boolean transposed) {
        double[][] m = new double[rows][cols];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) m[r][c] = transposed ? x[c * rows + r] : x[r * cols + c];
        }
        return m;
    }

    @Test
    void allLayoutsOverwriteAndAccumulateMatchFloat64() {
        long seed = 1234L;
        Random rnd = new Random(seed);
        for (GemmLayout layout : GemmLayout.values()) {
            for (int m : SIZES) {
                for (int n : SIZES) {
                    for (int k : DEPTHS) {
                        for (boolean accumulate : new boolean[] {false, true}) {
                            check(layout, m, n, k, accumulate, rnd, seed);
                        }
                    }
                }
            }
        }
    }

    private static void check(GemmLayout layout, int m, int n, int k, boolean accumulate, Random rnd, long seed) {
        float[] a = uniform(rnd, m * k, 2);
        float[] b = uniform(rnd, k * n, 2);
        // NaN where C is overwritten: a kernel that reads C when it should not would leak it
        float[] c0 = accumulate ? uniform(rnd, m * n, 3) : nanArray(m * n);
        float[] c = c0.clone();
        new ScalarGemm().gemm(layout, m, n, k, a, b, c, accumulate);

        double[][] opA = op(a, m, k, layout == GemmLayout.TN);  // TN stores A as (k, m)
        double[][] opB = op(b, k, n, layout == GemmLayout.NT);  // NT stores B as (n, k)
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double dot = 0, abs = 0;
                for (int p = 0; p < k; p++) {
                    dot += opA[i][p] * opB[p][j];
                    abs += Math.abs(opA[i][p] * opB[p][j]);
                }
                double expected = accumulate ? c0[i * n + j] + dot : dot;
                assertClose(expected, c[i * n + j], GEMM_ATOL_PER_ABS_SUM * abs, GEMM_RTOL,
                        layout + " m=" + m + " n=" + n + " k=" + k + " acc=" + accumulate + " C[" + i + "," + j
                                + "] seed=" + seed);
            }
        }
    }

    @Test
    void zeroDepthGivesZerosOrLeavesCUnchanged() {
        for (GemmLayout layout : GemmLayout.values()) {
            float[] c = nanArray(6);
            new ScalarGemm().gemm(layout, 2, 3, 0, new float[0], new float[0], c, false);
            for (float v : c) assertEquals(0f, v, layout + " overwrite with k=0");
            float[] d = {1, -2, 3, -4, 5, Float.MIN_VALUE};
            float[] before = d.clone();
            new ScalarGemm().gemm(layout, 2, 3, 0, new float[0], new float[0], d, true);
            assertArrayEquals(before, d, layout + " accumulate with k=0");
        }
    }

    @Test
    void handWorkedTwoByTwo() {
        // A = [1 2; 3 4], B = [5 6; 7 8]: A·B = [19 22; 43 50], A·Bᵀ = [17 23; 39 53], Aᵀ·B = [26 30; 38 44]
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4];
        new ScalarGemm().gemm(GemmLayout.NN, 2, 2, 2, a, b, c, false);
        assertArrayEquals(new float[] {19, 22, 43, 50}, c);
        new ScalarGemm().gemm(GemmLayout.NT, 2, 2, 2, a, b, c, false);
        assertArrayEquals(new float[] {17, 23, 39, 53}, c);
        new ScalarGemm().gemm(GemmLayout.TN, 2, 2, 2, a, b, c, true);
        assertArrayEquals(new float[] {17 + 26, 23 + 30, 39 + 38, 53 + 44}, c);
    }

    static float[] nanArray(int n) {
        float[] x = new float[n];
        Arrays.fill(x, Float.NaN);
        return x;
    }
}
