package distill4j.engine.nn;

import distill4j.engine.Tensor;

/** A trainable tensor: a leaf that requires a gradient, owned by a {@link Module}. */
public final class Parameter extends Tensor {
    public Parameter(float[] data, int... shape) {
        super(data, shape);
        requiresGrad(true);
    }

    /** Copies {@code values} into this parameter (same number of elements). */
    public void set(float[] values) {
        if (values.length != numel()) {
            throw new IllegalArgumentException("parameter: " + values.length + " values for " + numel() + " elements");
        }
        System.arraycopy(values, 0, data(), 0, values.length);
    }
}
