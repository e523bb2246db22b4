package distill4j.engine;

import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;

/**
 * The storage of a device-resident {@link Tensor}: {@code length} floats in a {@link DeviceArray} of
 * the {@link DeviceKernels} that own it. Views ({@code reshape}, {@code detach}) share the object.
 * The host never keeps a mirror: every host read is a fresh copy ({@link #download()}), so there is no
 * stale copy to invalidate when a kernel writes the array.
 */
final class DeviceStorage {
    final DeviceKernels kernels;
    final DeviceArray array;
    final int length;

    DeviceStorage(DeviceKernels kernels, DeviceArray array, int length) {
        if (array.floats() < length) {
            throw new IllegalArgumentException("tensor: a device array of " + array.floats() + " floats cannot hold " + length);
        }
        this.kernels = kernels;
        this.array = array;
        this.length = length;
    }

    /** A new host array with the values (one device → host copy). */
    float[] download() {
        float[] out = new float[length];
        if (length > 0) kernels.download(array, out, length);
        return out;
    }
}
