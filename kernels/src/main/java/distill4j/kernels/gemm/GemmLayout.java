package distill4j.kernels.gemm;

/** Which operands of a GEMM are transposed; see {@link GemmKernels#gemm}. */
public enum GemmLayout {
    /** C = A · B, A (m, k), B (k, n). */
    NN,
    /** C = A · Bᵀ, A (m, k), B (n, k). */
    NT,
    /** C = Aᵀ · B, A (k, m), B (k, n). */
    TN
}
