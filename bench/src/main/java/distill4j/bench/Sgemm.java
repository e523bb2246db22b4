package distill4j.bench;

import distill4j.kernels.gemm.GemmLayout;

/**
 * One way of computing a float32 GEMM in the benchmarks: a distill4j backend or a peer library.
 * Same contract as {@link distill4j.kernels.Backend#gemm}: dense row-major arrays starting at 0,
 * NN: A (m, k), B (k, n); NT: A (m, k), B (n, k); TN: A (k, m), B (k, n); C (m, n).
 */
public interface Sgemm extends AutoCloseable {
    /** The variant's name as in the {@code variant} @Param ("simd", "scalar", "openblas", "ejml"). */
    String name();

    /** One line saying what actually runs (library path, version, thread count), printed by the benchmarks. */
    String describe();

    void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate);

    @Override
    default void close() {}
}
