package distill4j.kernels.elementwise;

import distill4j.kernels.Backend;
import distill4j.kernels.simd.SimdBackend;

/** The contract table's SIMD row of the elementwise family (large calls run threaded with the default pool). */
class SimdElementwiseTest extends ElementwiseContract {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
