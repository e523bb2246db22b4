package distill4j.kernels.device;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.Backends;
import distill4j.kernels.ScalarBackend;
import org.junit.jupiter.api.Test;

/** {@link Backends#device()} where only CPU backends are on the class path, and the reference device's copy counts. */
class DeviceChoiceTest {

    @Test
    void withoutADeviceBackendDeviceSaysWhy() {
        DeviceKernels prev = Backends.setDevice(null);
        try {
            assertNull(new ScalarBackend().deviceKernels(), "CPU backends have no device kernels");
            IllegalStateException e = assertThrows(IllegalStateException.class, Backends::device);
            assertTrue(e.getMessage().contains("scalar has no device kernels"), e.getMessage());
            ReferenceDeviceKernels ref = new ReferenceDeviceKernels(new ScalarBackend());
            Backends.setDevice(ref);
            assertSame(ref, Backends.device());
        } finally {
            Backends.setDevice(prev);
        }
    }

    @Test
    void referenceDeviceCountsWhatCrosses() {
        ReferenceDeviceKernels d = new ReferenceDeviceKernels(new ScalarBackend());
        DeviceArray a = d.allocate(3), b = d.allocate(3);
        d.upload(new float[] {1, 2, 3}, a, 3);
        d.copy(a, b, 3);                 // device → device: not counted
        d.axpy(3, 2f, a, b);
        float[] out = new float[3];
        d.download(b, out, 3);
        assertArrayEquals(new float[] {3, 6, 9}, out);
        TransferCounter.Snapshot s = d.transfers().snapshot();
        assertEquals(1, s.hostToDeviceCopies());
        assertEquals(12, s.hostToDeviceBytes());
        assertEquals(1, s.deviceToHostCopies());
        assertEquals(12, s.deviceToHostBytes());
        a.close();
        assertThrows(IllegalStateException.class, () -> d.download(a, out, 3));
    }
}
