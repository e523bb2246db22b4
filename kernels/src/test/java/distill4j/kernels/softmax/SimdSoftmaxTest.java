package distill4j.kernels.softmax;

import distill4j.kernels.Backend;
import distill4j.kernels.simd.SimdBackend;

/** The contract table's SIMD row of the softmax family (large calls run threaded with the default pool). */
class SimdSoftmaxTest extends SoftmaxContract {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
