package distill4j.kernels.gemm;

import distill4j.kernels.Backend;
import distill4j.kernels.simd.SimdBackend;

/** The contract table's SIMD row of the gemm family (large calls run threaded with the default pool). */
class SimdGemmTest extends GemmContract {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
