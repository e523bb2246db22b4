package distill4j.bench.gpu;

import distill4j.bench.Check;
import distill4j.bench.GemmShape;
import distill4j.kernels.gemm.GemmLayout;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The row-major → column-major argument mapping of the cuBLAS peer, checked without a GPU: a plain
 * column-major sgemm written from the BLAS definition (what cublasSgemm computes) is called with
 * {@link CublasSgemm#columnMajor}'s arguments on the row-major arrays, and must give C = op(A)·op(B)
 * as {@link GemmShape} defines it. Odd, unequal sizes, so a swapped m/n/k or leading dimension shows.
 */
class CublasSgemmTest {
    /** Both sides sum the same k products in the same order in float64: only the final rounding differs. */
    static final double ATOL = 1e-6;

    /** C(m×n) = op(X)·op(Y), column-major with leading dimensions, as BLAS sgemm (α = 1, β = 0). */
    static void sgemmColumnMajor(boolean transX, boolean transY, int m, int n, int k, float[] x, int ldx,
                                 float[] y, int ldy, float[] c, int ldc) {
        for (int j = 0; j < n; j++) {
            for (int i = 0; i < m; i++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    float xv = transX ? x[p + i * ldx] : x[i + p * ldx];
                    float yv = transY ? y[j + p * ldy] : y[p + j * ldy];
                    sum += (double) xv * yv;
                }
                c[i + j * ldc] = (float) sum;
            }
        }
    }

    @Test
    void theColumnMajorCallComputesTheRowMajorProductForEveryLayout() {
        int[][] sizes = {{1, 1, 1}, {3, 5, 7}, {7, 3, 5}, {5, 7, 3}, {17, 1, 9}, {1, 13, 2}};
        for (GemmLayout layout : GemmLayout.values()) {
            for (int[] mnk : sizes) {
                GemmShape s = new GemmShape(layout, mnk[0], mnk[1], mnk[2]);
                float[] a = Check.uniform(s.aLength(), 31), b = Check.uniform(s.bLength(), 32), c = new float[s.cLength()];
                CublasSgemm.Call x = CublasSgemm.columnMajor(layout, s.m(), s.n(), s.k());
                sgemmColumnMajor(x.transFirst(), x.transSecond(), x.m(), x.n(), x.k(), b, x.ldFirst(), a, x.ldSecond(), c, x.ldc());
                for (int i = 0; i < s.m(); i++) {
                    for (int j = 0; j < s.n(); j++) {
                        double want = 0;
                        for (int p = 0; p < s.k(); p++) want += (double) s.a(a, i, p) * s.b(b, p, j);
                        assertEquals(want, c[i * s.n() + j], ATOL, layout + " " + s + " C[" + i + "][" + j + "] (seeds 31, 32)");
                    }
                }
            }
        }
    }
}
