package distill4j.cuda;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendContractTest;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kernels module's backend contract table (kernels test-jar) with {@link CudaBackend} as its row:
 * on the stand-in driver in every build, on the GPU with cuda/gpu-check.sh; skipped where neither is.
 */
class DeviceContractTest extends BackendContractTest {
    private static Backend cuda;

    @BeforeAll
    static void open() {
        cuda = new CudaBackend(DeviceTests.device());  // skips the whole class where no device is wanted
    }

    @Override
    protected Backend backend() {
        return cuda;
    }
}
