package distill4j.engine.io;

/**
 * The safetensors element types distill4j reads and writes, with their names in the header.
 *
 * <p>Declared in the order of the reference implementation's {@code Dtype} enum (F32 &lt; F64 &lt; I64);
 * its writer lays tensors out by descending dtype, then by name, so 8-byte types come first and stay
 * 8-byte aligned. {@link Safetensors#serialize} does the same.
 */
public enum DType {
    /** IEEE 754 binary32, little-endian. The engine's parameter type. */
    F32(4),
    /** IEEE 754 binary64, little-endian (PyTorch's float64 / "double"). */
    F64(8),
    /** Two's-complement signed 64-bit integer, little-endian (e.g. an optimizer's step count). */
    I64(8);

    private final int byteSize;

    DType(int byteSize) { this.byteSize = byteSize; }

    /** Bytes per element. */
    public int byteSize() { return byteSize; }

    /** The dtype called {@code name} in a header, or null when distill4j does not support it. */
    static DType fromHeaderName(String name) {
        for (DType d : values()) if (d.name().equals(name)) return d;
        return null;
    }
}
