package distill4j.cuda;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;

/**
 * Registers {@link CudaBackend} (name "cuda", priority 100): the first choice of
 * {@code Backends.device()} for device-resident tensors when a GPU is usable. Not chosen for work on
 * host arrays ({@link #forHostArrays()} false: each such call copies its operands both ways) unless
 * forced with {@code -Ddistill4j.backend=cuda}.
 * {@link #create()} throws {@link CudaUnavailableException} at once when the probe (done once per JVM,
 * see {@link CudaDevice#get()}) found no usable GPU; {@code distill4j.kernels.Backends} then logs one
 * line and falls back to the CPU.
 */
public final class CudaBackendProvider implements BackendProvider {
    @Override public String name() { return "cuda"; }

    @Override public int priority() { return 100; }

    /** Host-array work goes to simd unless cuda is forced by name: each call here would copy both ways. */
    @Override public boolean forHostArrays() { return false; }

    @Override public Backend create() {
        return new CudaBackend(CudaDevice.get());
    }
}
