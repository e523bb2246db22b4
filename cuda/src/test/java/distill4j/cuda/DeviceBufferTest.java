package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jcuda.CudaException;
import org.junit.jupiter.api.Test;

/** DeviceBuffer copies and checks, and the driver's answers the Java side relies on. */
class DeviceBufferTest {

    @Test
    void copiesRoundTripAndDeviceToDevice() {
        CudaDevice dev = DeviceTests.device();
        float[] host = {1f, -2f, 3.5f, Float.MIN_VALUE, Float.MAX_VALUE, -0f, Float.NaN};
        try (DeviceBuffer a = dev.allocateFloats(host.length); DeviceBuffer b = dev.allocateFloats(host.length + 3)) {
            a.copyFrom(host, host.length);
            b.zero(host.length + 3);
            b.copyFrom(a, host.length);
            float[] back = b.toHost(host.length + 3);
            for (int i = 0; i < host.length; i++) {
                assertEquals(Float.floatToRawIntBits(host[i]), Float.floatToRawIntBits(back[i]), "element " + i);
            }
            assertArrayEquals(new float[3], java.util.Arrays.copyOfRange(back, host.length, host.length + 3));
            int[] ints = {7, -1, 1 << 30};
            try (DeviceBuffer c = dev.allocate(ints.length * 4L)) {
                c.copyFrom(ints, ints.length);
                float[] asFloats = c.toHost(3);
                for (int i = 0; i < 3; i++) assertEquals(ints[i], Float.floatToRawIntBits(asFloats[i]));
            }
        }
    }

    @Test
    void sizesAreCheckedBeforeAnyCopyAndUseAfterCloseIsAnError() {
        CudaDevice dev = DeviceTests.device();
        DeviceBuffer a = dev.allocateFloats(4);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new float[8], 8));
        assertTrue(e.getMessage().contains("8 elements do not fit"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.copyFrom(new float[2], 3));
        assertThrows(IllegalArgumentException.class, () -> a.copyTo(new float[2], 3));
        assertThrows(IllegalArgumentException.class, () -> a.zero(5));
        a.close();
        a.close();  // idempotent
        assertThrows(IllegalStateException.class, () -> a.copyFrom(new float[1], 1));
    }

    @Test
    void unknownKernelIsADriverErrorAndTheDeviceIsCached() {
        CudaDevice dev = DeviceTests.device();
        assertSame(dev, CudaDevice.get());
        CudaException e = assertThrows(CudaException.class, () -> dev.function("no_such_kernel"));
        assertTrue(e.getMessage().contains("CUDA_ERROR_NOT_FOUND"), e.getMessage());
        assertTrue(dev.computeCapability() >= CudaDevice.MIN_COMPUTE_CAPABILITY);
        if (DeviceTests.standIn()) assertTrue(dev.name().contains("stand-in"), dev.name());
    }

    @Test
    void backendWorksFromAnotherThread() throws Exception {
        CudaBackend backend = new CudaBackend(DeviceTests.device());
        float[] x = {1f, -1f, 2f};
        float[] y = new float[3];
        Thread t = new Thread(() -> backend.elementwise().reluForward(x, y, 3));  // a thread with no current context yet
        t.start();
        t.join();
        assertArrayEquals(new float[] {1f, 0f, 2f}, y);
    }
}
