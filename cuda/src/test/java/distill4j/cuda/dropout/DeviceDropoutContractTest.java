package distill4j.cuda.dropout;

import distill4j.cuda.CudaBackend;
import distill4j.cuda.DeviceTests;
import distill4j.kernels.Backend;
import distill4j.kernels.dropout.DropoutContract;
import org.junit.jupiter.api.BeforeAll;

/**
 * The kernels module's contract rows of the dropout family (kernels test-jar) with {@link CudaBackend} as
 * the backend: on the stand-in driver in every build, on the GPU with cuda/gpu-check.sh; skipped where
 * neither is.
 */
class DeviceDropoutContractTest extends DropoutContract {
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
