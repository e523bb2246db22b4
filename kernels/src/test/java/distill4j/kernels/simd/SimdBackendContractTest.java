package distill4j.kernels.simd;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendContractTest;

/** The contract table's SIMD row (GEMMs at the MLP shapes run threaded with the default pool). */
class SimdBackendContractTest extends BackendContractTest {
    private static final Backend SIMD = new SimdBackend();

    @Override
    protected Backend backend() {
        return SIMD;
    }
}
