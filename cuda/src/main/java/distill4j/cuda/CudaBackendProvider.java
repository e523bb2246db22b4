package distill4j.cuda;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;

/**
 * Registers {@link CudaBackend} (name "cuda", priority 100: chosen first when a GPU is usable).
 * {@link #create()} throws {@link CudaUnavailableException} at once when the probe (done once per JVM,
 * see {@link CudaDevice#get()}) found no usable GPU; {@code distill4j.kernels.Backends} then logs one
 * line and falls back to the CPU.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override public String name() { return "cuda"; }

    @Override public int priority() { return 100; }

    @Override public Backend create() {
        return new CudaBackend(CudaDevice.get());
    }
}
