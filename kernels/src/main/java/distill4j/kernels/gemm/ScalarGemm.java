package distill4j.kernels.gemm;

import distill4j.kernels.Checks;

/**
 * Reference GEMM: the textbook triple loop, one dot product per output in float32 with a float64
 * accumulator so that the reference is more accurate than anything it checks.
 */
public final class ScalarGemm implements GemmKernels {

    // NN: A (m, k), B (k, n) | NT: A (m, k), B (n, k) | TN: A (k, m), B (k, n)  ->  C (m, n)
    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        Checks.gemm(layout, m, n, k, a, b, c);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double acc = 0;
                for (int p = 0; p < k; p++) {
                    float aip = layout == GemmLayout.TN ? a[p * m + i] : a[i * k + p];
                    float bpj = layout == GemmLayout.NT ? b[j * k + p] : b[p * n + j];
                    acc += (double) aip * bpj;
                }
                c[i * n + j] = accumulate ? (float) (c[i * n + j] + acc) : (float) acc;
            }
        }
    }
}
