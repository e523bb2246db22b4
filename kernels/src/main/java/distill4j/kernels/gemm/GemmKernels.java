package distill4j.kernels.gemm;

/**
 * The GEMM family: single-precision matrix products on dense, row-major arrays starting at index 0.
 * {@link ScalarGemm} is the reference, {@link SimdGemm} the packed, threaded Vector API version.
 */
public interface GemmKernels {

    /**
     * C (m, n) = op(A) · op(B), or C += op(A) · op(B) when {@code accumulate}.
     * <ul>
     *   <li>{@link GemmLayout#NN}: A (m, k), B (k, n)</li>
     *   <li>{@link GemmLayout#NT}: A (m, k), B (n, k), i.e. A · Bᵀ (forward of Linear: x · Wᵀ)</li>
     *   <li>{@link GemmLayout#TN}: A (k, m), B (k, n), i.e. Aᵀ · B (weight gradient: dyᵀ · x)</li>
     * </ul>
     * C must not alias A or B. m, n, k ≥ 0 (k = 0 gives zeros, or leaves C unchanged when accumulating).
     */
    void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate);
}
