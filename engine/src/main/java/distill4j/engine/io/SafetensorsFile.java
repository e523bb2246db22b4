package distill4j.engine.io;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The contents of a safetensors file: the free-form string metadata of the header's
 * {@code "__metadata__"} entry, and the tensors in header order. Immutable.
 */
public record SafetensorsFile(Map<String, String> metadata, List<RawTensor> tensors) {

    public SafetensorsFile {
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(tensors, "tensors");
        metadata = Collections.unmodifiableMap(new LinkedHashMap<>(metadata));
        tensors = List.copyOf(tensors);
    }

    /** The tensor called {@code name}, or null. */
    public RawTensor tensor(String name) {
        for (RawTensor t : tensors) if (t.name().equals(name)) return t;
        return null;
    }
}
