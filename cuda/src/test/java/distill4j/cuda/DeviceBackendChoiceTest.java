package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.device.DeviceKernels;
import org.junit.jupiter.api.Test;

/**
 * With a device (the stand-in driver or a GPU): host-array work still goes to the CPU, device-resident
 * work to cuda, and forcing cuda by name still gives it for host arrays.
 */
class DeviceBackendChoiceTest {

    @Test
    void cudaIsChosenForDeviceResidentWorkOnly() {
        DeviceTests.device();
        Backend host = Backends.choose(null);
        assertEquals("simd", host.name(), "host arrays: simd, not cuda (each cuda call would copy both ways)");
        assertEquals("cuda", Backends.choose("cuda").name(), "-Ddistill4j.backend=cuda still forces it");
        DeviceKernels device = Backends.device();
        assertTrue(device instanceof CudaDeviceKernels, "Backends.device(): " + device.name());
    }
}
