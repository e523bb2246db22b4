package distill4j.engine.io;

import java.io.IOException;

/**
 * A safetensors file (or byte array) that is corrupt, truncated, not in the format, or whose tensor
 * data no longer matches the checksum recorded when it was written (see {@link Safetensors}). The
 * message starts with the file, then says what is wrong, e.g.
 * {@code model.safetensors: file is truncated: tensor "fc1.weight" needs bytes [0, 3763200) of the data
 * buffer but only 1000 are present}, or {@code ckpt.safetensors: the checksum of the tensor data does not
 * match ...: the file was changed or corrupted after it was written. ...}.
 */
public class SafetensorsFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    private final String source;
    private final String problem;

    public SafetensorsFormatException(String source, String problem) {
        super(source + ": " + problem);
        this.source = source;
        this.problem = problem;
    }

    /** The file (or other source) that was being read. */
    public String source() { return source; }

    /** What is wrong with it, without the source. */
    public String problem() { return problem; }
}
