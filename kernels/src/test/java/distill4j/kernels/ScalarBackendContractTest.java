package distill4j.kernels;

import distill4j.kernels.scalar.ScalarBackend;

/** The contract table's scalar row: the invariants of every test, and the reference against itself. */
class ScalarBackendContractTest extends BackendContractTest {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }
}
