package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import distill4j.kernels.Backends;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * A driver that loads but finds no GPU (the stand-in with DISTILL4J_STANDIN_DEVICES=0, surefire
 * execution "stand-in-driver-no-device"): cuInit's CUDA_ERROR_NO_DEVICE becomes one cached
 * CudaUnavailableException and the chooser falls back to the CPU.
 */
class NoDeviceProbeTest {
    @Test
    void driverWithoutDeviceFallsBackCleanly() {
        Path lib = Path.of(System.getProperty("distill4j.native.dir", "target/native"), "standin", "libcuda.so.1");
        assumeTrue(Files.isRegularFile(lib), "stand-in driver not built (is g++ installed?): " + lib);
        assumeTrue("0".equals(System.getenv("DISTILL4J_STANDIN_DEVICES")), "runs in the no-device execution only");
        CudaUnavailableException first = assertThrows(CudaUnavailableException.class, CudaDevice::get);
        assertTrue(first.getMessage().contains("CUDA_ERROR_NO_DEVICE"), first.getMessage());
        assertSame(first, assertThrows(CudaUnavailableException.class, () -> new CudaBackendProvider().create()));
        assertFalse(CudaDevice.isAvailable());
        assertNotEquals("cuda", Backends.choose(null).name());
    }
}
