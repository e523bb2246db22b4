package distill4j.kernels.device;

/**
 * A block of float32 memory on a device, owned by the {@link DeviceKernels} that allocated it: an
 * opaque handle (the engine never reads it directly). Contents move between host and device only
 * through {@link DeviceKernels#upload} / {@link DeviceKernels#download}.
 */
public interface DeviceArray extends AutoCloseable {
    /** Capacity in floats. */
    long floats();

    /** Frees the memory now (idempotent); the array must not be used afterwards. */
    @Override
    void close();
}
