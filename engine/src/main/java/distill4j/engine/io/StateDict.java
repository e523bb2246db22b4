package distill4j.engine.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * What a checkpoint holds, in the engine's terms: named float32 arrays (parameters, optimizer
 * buffers), named 64-bit integers (step counts, epochs) and string metadata. It is saved as a
 * safetensors file that PyTorch tooling opens directly: arrays as F32 tensors, integers as 0-dimensional
 * I64 tensors (how PyTorch stores a scalar, e.g. {@code torch.tensor(7)}), metadata in
 * {@code "__metadata__"}.
 *
 * <p>Reading accepts F32 tensors, F64 tensors (rounded to float32: the engine computes in float32 only,
 * so a float64 state written by PyTorch is loaded at the precision it will be used in), and I64 tensors
 * with one element. Anything else is refused with a message saying so; {@link Safetensors#read} gives
 * raw access to every tensor.
 *
 * <p>Order is kept: arrays, integers and metadata iterate in insertion (or file) order.
 *
 * <p>Integrity: {@link #write} records the SHA-256 of the tensor data in the file (the metadata entry
 * {@value Safetensors#CHECKSUM_KEY}, see {@link Safetensors}) and {@link #read} verifies it, refusing a file
 * whose tensors changed after it was written. The entry belongs to the file, not to the state: it never
 * appears in {@link #metadata()}. A file without it (PyTorch's, or one written before distill4j recorded
 * checksums) is read as before.
 */
public record StateDict(Map<String, NamedArray> arrays, Map<String, Long> scalars, Map<String, String> metadata) {

    public StateDict {
        Objects.requireNonNull(arrays, "arrays");
        Objects.requireNonNull(scalars, "scalars");
        Objects.requireNonNull(metadata, "metadata");
        for (Map.Entry<String, NamedArray> e : arrays.entrySet()) {
            Objects.requireNonNull(e.getValue(), "array " + e.getKey());
            if (!e.getKey().equals(e.getValue().name())) {
                throw new IllegalArgumentException("array stored under \"" + e.getKey() + "\" is named \""
                        + e.getValue().name() + "\"");
            }
            checkName(e.getKey());
        }
        for (Map.Entry<String, Long> e : scalars.entrySet()) {
            Objects.requireNonNull(e.getValue(), "scalar " + e.getKey());
            checkName(e.getKey());
            if (arrays.containsKey(e.getKey())) {
                throw new IllegalArgumentException("\"" + e.getKey() + "\" names both an array and a scalar");
            }
        }
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            Objects.requireNonNull(e.getKey(), "metadata key");
            Objects.requireNonNull(e.getValue(), "metadata value of " + e.getKey());
        }
        arrays = Collections.unmodifiableMap(new LinkedHashMap<>(arrays));
        scalars = Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
    }

    private static void checkName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.equals(Safetensors.METADATA_KEY)) {
            throw new IllegalArgumentException("\"" + Safetensors.METADATA_KEY + "\" is reserved and cannot name a tensor");
        }
    }

    /** A state of arrays only. */
    public static StateDict of(List<NamedArray> arrays) {
        Builder b = builder();
        for (NamedArray a : arrays) b.array(a);
        return b.build();
    }

    public static Builder builder() { return new Builder(); }

    /** The array called {@code name}; throws naming the arrays present when there is none. */
    public NamedArray array(String name) {
        NamedArray a = arrays.get(name);
        if (a == null) throw new NoSuchElementException("no array \"" + name + "\" in state (arrays: " + arrays.keySet() + ")");
        return a;
    }

    /** The integer called {@code name}; throws naming the integers present when there is none. */
    public long scalar(String name) {
        Long v = scalars.get(name);
        if (v == null) throw new NoSuchElementException("no scalar \"" + name + "\" in state (scalars: " + scalars.keySet() + ")");
        return v;
    }

    // ---------------------------------------------------------------- files

    /**
     * Writes this state, with the checksum of its tensor data, to {@code file} atomically (see
     * {@link Safetensors#write}).
     */
    public void write(Path file) throws IOException {
        Safetensors.write(file, toSafetensors());
    }

    /**
     * Reads a state written by {@link #write} or by PyTorch tooling (see the class comment for what is
     * accepted), verifying the checksum when the file has one. Errors name the file.
     */
    public static StateDict read(Path file) throws IOException {
        return fromSafetensors(Safetensors.read(file), file.toString());
    }

    public SafetensorsFile toSafetensors() {
        List<RawTensor> tensors = new ArrayList<>(arrays.size() + scalars.size());
        for (NamedArray a : arrays.values()) tensors.add(RawTensor.ofFloats(a.name(), a.shape(), a.data()));
        for (Map.Entry<String, Long> e : scalars.entrySet()) {
            tensors.add(RawTensor.ofLongs(e.getKey(), new int[0], new long[] {e.getValue()}));
        }
        return new SafetensorsFile(metadata, tensors);
    }

    /**
     * Converts file contents; {@code source} names the file in errors. The checksum entry
     * {@value Safetensors#CHECKSUM_KEY} is dropped from the metadata (it was verified when the file was read).
     */
    public static StateDict fromSafetensors(SafetensorsFile file, String source) throws SafetensorsFormatException {
        Builder b = builder();
        for (RawTensor t : file.tensors()) {
            switch (t.dtype()) {
                case F32, F64 -> b.array(new NamedArray(t.name(), t.intShape(), t.toFloats()));
                case I64 -> {
                    if (t.numel() != 1) {
                        throw new SafetensorsFormatException(source, "tensor \"" + t.name() + "\": an I64 tensor of shape "
                                + Arrays.toString(t.shape()) + " is not a single integer; a StateDict holds integers"
                                + " only as scalars (read it with Safetensors.read)");
                    }
                    b.scalar(t.name(), t.toLongs()[0]);
                }
                default -> throw new SafetensorsFormatException(source, "tensor \"" + t.name() + "\": unsupported dtype "
                        + t.dtype());
            }
        }
        b.metadata.putAll(file.metadata());
        b.metadata.remove(Safetensors.CHECKSUM_KEY);
        return b.build();
    }

    /** Collects arrays, integers and metadata in order; names must be unique. */
    public static final class Builder {
        private final Map<String, NamedArray> arrays = new LinkedHashMap<>();
        private final Map<String, Long> scalars = new LinkedHashMap<>();
        private final Map<String, String> metadata = new LinkedHashMap<>();

        private Builder() {}

        public Builder array(NamedArray a) {
            checkNew(a.name());
            arrays.put(a.name(), a);
            return this;
        }

        public Builder array(String name, int[] shape, float[] data) {
            return array(new NamedArray(name, shape, data));
        }

        public Builder scalar(String name, long value) {
            checkNew(name);
            scalars.put(name, value);
            return this;
        }

        public Builder metadata(String key, String value) {
            metadata.put(Objects.requireNonNull(key, "metadata key"), Objects.requireNonNull(value, "metadata value"));
            return this;
        }

        private void checkNew(String name) {
            if (arrays.containsKey(name) || scalars.containsKey(name)) {
                throw new IllegalArgumentException("duplicate name \"" + name + "\" in state");
            }
        }

        public StateDict build() { return new StateDict(arrays, scalars, metadata); }
    }
}
