package distill4j.kernels.optim;

import distill4j.kernels.Backend;
import distill4j.kernels.simd.SimdBackend;

/** The contract table's SIMD row of the optim family (large calls run threaded with the default pool). */
class SimdOptimTest extends OptimContract {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
