package distill4j.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;
import distill4j.kernels.Backends;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The provider on a machine without a usable GPU (this build machine, CI): clean, cached, fast failure. */
class CudaProviderTest {

    @Test
    void registeredThroughServiceLoaderWithPriority100() {
        List<BackendProvider> providers = Backends.providers();
        BackendProvider first = providers.get(0);
        assertEquals("cuda", first.name());
        assertEquals(100, first.priority());
        assertTrue(first instanceof CudaBackendProvider);
    }

    @Test
    void withoutGpuCreateFailsQuicklyWithTheSameCachedReason() {
        assumeFalse(CudaDevice.isAvailable(), "a CUDA device is usable here: the fallback path is not reachable");
        CudaBackendProvider provider = new CudaBackendProvider();
        CudaUnavailableException first = assertThrows(CudaUnavailableException.class, provider::create);
        assertTrue(first.getMessage().startsWith("CUDA unavailable: "), first.getMessage());
        // no driver → UnsatisfiedLinkError from JCuda; a driver without device → CUDA_ERROR_NO_DEVICE
        assertTrue(first.getMessage().contains("libcuda") || first.getMessage().contains("CUDA_ERROR"),
                first.getMessage());
        assertNotEquals(-1, first.getMessage().indexOf(':'));
        assertTrue(!first.getMessage().contains("\n"), "one line: " + first.getMessage());
        long t0 = System.nanoTime();
        for (int i = 0; i < 100; i++) {
            CudaUnavailableException again = assertThrows(CudaUnavailableException.class, provider::create);
            assertSame(first, again, "the probe runs once; later calls give the cached answer");
        }
        // not a timing assertion on speed, only that the cached path does not retry the probe for seconds
        assertTrue(System.nanoTime() - t0 < 5_000_000_000L);
    }

    @Test
    void backendsFallsBackToTheCpuAndForcingCudaSaysWhy() {
        assumeFalse(CudaDevice.isAvailable(), "a CUDA device is usable here: the fallback path is not reachable");
        Backend chosen = Backends.choose(null);
        assertNotEquals("cuda", chosen.name());
        IllegalStateException forced = assertThrows(IllegalStateException.class, () -> Backends.choose("cuda"));
        assertTrue(forced.getMessage().contains("cannot run here") && forced.getMessage().contains("CUDA unavailable"),
                forced.getMessage());
    }
}
