package distill4j.kernels.simd;

import distill4j.kernels.Backend;
import distill4j.kernels.BackendProvider;

/**
 * Registers {@link SimdBackend} (priority 50: above scalar, below CUDA). This class itself names no
 * Vector API type, so it loads on any JVM; {@link #create()} touches the Vector API and throws
 * {@link NoClassDefFoundError} when the JVM runs without {@code --add-modules jdk.incubator.vector}.
 */
public final class SimdBackendProvider implements BackendProvider {
    @Override public String name() { return "simd"; }
    @Override public int priority() { return 50; }
    @Override public Backend create() { return new SimdBackend(); }
}
