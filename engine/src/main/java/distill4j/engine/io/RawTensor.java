package distill4j.engine.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Objects;

/**
 * One tensor of a safetensors file as stored: name, dtype, shape, and its little-endian bytes. The
 * typed views ({@link #toFloats}, {@link #toDoubles}, {@link #toLongs}) decode the bytes; the factories
 * encode arrays. The byte array is not copied.
 */
public record RawTensor(String name, DType dtype, long[] shape, byte[] bytes) {

    public RawTensor {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(dtype, "dtype of " + name);
        Objects.requireNonNull(shape, "shape of " + name);
        Objects.requireNonNull(bytes, "bytes of " + name);
        long n = numel(shape);
        if (n < 0) {
            throw new IllegalArgumentException("tensor \"" + name + "\": invalid shape " + Arrays.toString(shape));
        }
        if (n * dtype.byteSize() != bytes.length) {
            throw new IllegalArgumentException("tensor \"" + name + "\": shape " + Arrays.toString(shape) + " of "
                    + dtype + " needs " + n * dtype.byteSize() + " bytes but " + bytes.length + " were given");
        }
    }

    /** Product of the shape, or −1 when a dimension is negative or the product exceeds 2^31 − 1. */
    static long numel(long[] shape) {
        long n = 1;
        for (long d : shape) {
            if (d < 0 || (d != 0 && n > Integer.MAX_VALUE / d)) return -1;
            n *= d;
        }
        return n;
    }

    /** Number of elements (1 for shape []). */
    public int numel() { return bytes.length / dtype.byteSize(); }

    /** The shape as ints (every dimension of a tensor that fits in memory fits in an int). */
    public int[] intShape() {
        int[] s = new int[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = (int) shape[i];
        return s;
    }

    private ByteBuffer le() { return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN); }

    /** The values as float32: F32 exactly, F64 rounded to nearest float. I64 is refused. */
    public float[] toFloats() {
        float[] out = new float[numel()];
        switch (dtype) {
            case F32 -> le().asFloatBuffer().get(out);
            case F64 -> {
                var b = le().asDoubleBuffer();
                for (int i = 0; i < out.length; i++) out[i] = (float) b.get(i);
            }
            default -> throw new IllegalStateException("tensor \"" + name + "\" is " + dtype + ", not a float type");
        }
        return out;
    }

    /** The values as float64: F32 and F64 exactly. I64 is refused. */
    public double[] toDoubles() {
        double[] out = new double[numel()];
        switch (dtype) {
            case F64 -> le().asDoubleBuffer().get(out);
            case F32 -> {
                var b = le().asFloatBuffer();
                for (int i = 0; i < out.length; i++) out[i] = b.get(i);
            }
            default -> throw new IllegalStateException("tensor \"" + name + "\" is " + dtype + ", not a float type");
        }
        return out;
    }

    /** The values of an I64 tensor. */
    public long[] toLongs() {
        if (dtype != DType.I64) {
            throw new IllegalStateException("tensor \"" + name + "\" is " + dtype + ", not I64");
        }
        long[] out = new long[numel()];
        le().asLongBuffer().get(out);
        return out;
    }

    public static RawTensor ofFloats(String name, int[] shape, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(values);
        return new RawTensor(name, DType.F32, toLongs(shape), b.array());
    }

    public static RawTensor ofDoubles(String name, int[] shape, double[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asDoubleBuffer().put(values);
        return new RawTensor(name, DType.F64, toLongs(shape), b.array());
    }

    public static RawTensor ofLongs(String name, int[] shape, long[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 8).order(ByteOrder.LITTLE_ENDIAN);
        b.asLongBuffer().put(values);
        return new RawTensor(name, DType.I64, toLongs(shape), b.array());
    }

    private static long[] toLongs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) s[i] = shape[i];
        return s;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RawTensor t && name.equals(t.name) && dtype == t.dtype && Arrays.equals(shape, t.shape)
                && Arrays.equals(bytes, t.bytes);
    }

    @Override
    public int hashCode() {
        return Objects.hash(name, dtype, Arrays.hashCode(shape), Arrays.hashCode(bytes));
    }

    @Override
    public String toString() {
        return "RawTensor[" + name + " " + dtype + " " + Arrays.toString(shape) + "]";
    }
}
