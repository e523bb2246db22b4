package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Gate of the tests that need a CUDA device (class names Device*Test). They run
 * <ul>
 *   <li>in the surefire execution "stand-in-driver", against the stand-in libcuda.so.1 built by
 *       src/test/native/build-native.sh (skipped, with a message, only when g++ was missing);</li>
 *   <li>on a real GPU with -Ddistill4j.cuda.requireDevice=true (cuda/gpu-check.sh).</li>
 * </ul>
 * Where a device is required and cannot be opened, they fail with the probe's reason.
 */
public final class DeviceTests {
    private DeviceTests() {}

    static boolean standIn() {
        return Boolean.getBoolean("distill4j.standin");
    }

    public static CudaDevice device() {
        // the surefire execution that simulates "driver, no GPU" (a -Dtest=... selection also reaches it)
        assumeTrue(!"0".equals(System.getenv("DISTILL4J_STANDIN_DEVICES")), "stand-in driver without devices");
        if (standIn()) {
            Path lib = Path.of(System.getProperty("distill4j.native.dir", "target/native"), "standin", "libcuda.so.1");
            assumeTrue(Files.isRegularFile(lib), "stand-in driver not built (is g++ installed?): " + lib);
        } else if (!Boolean.getBoolean("distill4j.cuda.requireDevice")) {
            assumeTrue(CudaDevice.isAvailable(), "no CUDA device here");
        }
        try {
            return CudaDevice.get();
        } catch (CudaUnavailableException e) {
            fail("a CUDA device was required but cannot be opened: " + e.getMessage(), e);
            throw e;
        }
    }
}
