package distill4j.kernels.dropout;

import distill4j.kernels.Backend;
import distill4j.kernels.simd.SimdBackend;

/** The contract table's SIMD row of the dropout family (large calls run threaded with the default pool). */
class SimdDropoutTest extends DropoutContract {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
