package distill4j.engine.io;

import java.util.Arrays;
import java.util.Objects;

/**
 * One named float32 array and its shape, e.g. {@code ("fc1.weight", [1200, 784], data)}: the unit in
 * which the engine's parameters and optimizer buffers are saved. Dense, row-major.
 *
 * <p>The arrays are not copied (checkpointing a large model should not double its memory): the caller
 * must not change them while a write is in progress. Equality compares names, shapes and data
 * bit for bit ({@link Arrays#equals(float[], float[])}: NaN equals NaN, −0 differs from +0).
 */
public record NamedArray(String name, int[] shape, float[] data) {

    public NamedArray {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(shape, "shape of " + name);
        Objects.requireNonNull(data, "data of " + name);
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("NamedArray \"" + name + "\": negative dimension in shape "
                        + Arrays.toString(shape));
            }
            // capped at 2^31 (more than any array holds), so n · d < 2^62 never overflows
            n = Math.min(n * d, Integer.MAX_VALUE + 1L);
        }
        if (n != data.length) {
            throw new IllegalArgumentException("NamedArray \"" + name + "\": shape " + Arrays.toString(shape)
                    + " has " + n + " elements but data has " + data.length);
        }
    }

    /** Number of elements, the product of the shape (1 for a scalar of shape []). */
    public int numel() { return data.length; }

    @Override
    public boolean equals(Object o) {
        return o instanceof NamedArray a && name.equals(a.name) && Arrays.equals(shape, a.shape)
                && Arrays.equals(data, a.data);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * name.hashCode() + Arrays.hashCode(shape)) + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "NamedArray[" + name + " " + Arrays.toString(shape) + "]";
    }
}
