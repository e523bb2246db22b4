package distill4j.engine.nn;

import distill4j.engine.Tensor;

/** A trainable tensor: a leaf that requires a gradient, owned by a {@link Module}. */
public final class Parameter extends Tensor {
    public Parameter(float[] data, int... shape) {
        super(data, shape);
        requiresGrad(true);
    }

    /** Copies {@code values} into this parameter (same number of elements; an upload when it is on a device). */
    public void set(float[] values) {
        if (values.length != numel()) {
            throw new IllegalArgumentException("parameter: " + values.length + " values for " + numel() + " elements");
        }
        if (isOnDevice()) {
            if (values.length > 0) device().upload(values, deviceArray(), values.length);
        } else {
            System.arraycopy(values, 0, data(), 0, values.length);
        }
    }

    /** Moves the values (and gradient) to {@code device} in place; see {@link Module#toDevice}. */
    public void toDeviceInPlace(distill4j.kernels.device.DeviceKernels device) {
        moveStorageToDevice(device);
    }

    /** Moves the values (and gradient) back to the host in place. */
    public void toHostInPlace() {
        moveStorageToHost();
    }
}
