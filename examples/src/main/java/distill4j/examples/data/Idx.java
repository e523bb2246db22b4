package distill4j.examples.data;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import java.util.zip.ZipException;

/**
 * The IDX file format of LeCun's MNIST distribution: a big-endian 32-bit magic number
 * {@code 0x000008DD} (0x08 = unsigned bytes, DD = number of dimensions), one big-endian 32-bit size per
 * dimension, then the data, row-major, one byte per element. Files may be gzip-compressed (detected
 * by the magic bytes {@code 1f 8b}, whatever the file is called).
 *
 * <p>Everything is validated before anything is returned: magic number, dimensions, the exact file
 * length, the label range. A bad file raises an {@link IdxFormatException} naming the file and what is
 * wrong; nothing is half-loaded.
 */
public final class Idx {
    /** Magic number of an image file: unsigned bytes, 3 dimensions (count, rows, cols). */
    public static final int MAGIC_IMAGES = 0x00000803;
    /** Magic number of a label file: unsigned bytes, 1 dimension (count). */
    public static final int MAGIC_LABELS = 0x00000801;
    /** Largest side length we accept for an image; MNIST is 28. */
    static final int MAX_SIDE = 4096;

    private Idx() {}

    /** Images (count, rows, cols) as unsigned bytes, row-major. */
    public record Images(int count, int rows, int cols, byte[] pixels) {
        public int size() { return rows * cols; }
    }

    /** A malformed IDX file; the message names the file and the problem. */
    public static final class IdxFormatException extends IOException {
        private static final long serialVersionUID = 1L;
        public IdxFormatException(Path file, String problem) {
            super("IDX file " + file + ": " + problem);
        }
    }

    /** Reads an image file (raw or gzip). */
    public static Images readImages(Path file) throws IOException {
        byte[] bytes = readMaybeGzip(file);
        ByteBuffer b = header(file, bytes, MAGIC_IMAGES, 3);
        long count = Integer.toUnsignedLong(b.getInt(4));
        long rows = Integer.toUnsignedLong(b.getInt(8));
        long cols = Integer.toUnsignedLong(b.getInt(12));
        if (rows == 0 || cols == 0 || rows > MAX_SIDE || cols > MAX_SIDE) {
            throw new IdxFormatException(file, "image size " + rows + "x" + cols + " is not in 1.." + MAX_SIDE);
        }
        long expected = 16 + count * rows * cols;
        checkLength(file, bytes.length, expected, count + " images of " + rows + "x" + cols);
        byte[] pixels = new byte[(int) (count * rows * cols)];
        System.arraycopy(bytes, 16, pixels, 0, pixels.length);
        return new Images((int) count, (int) rows, (int) cols, pixels);
    }

    /** Reads a label file (raw or gzip); every label must be in [0, numClasses). */
    public static byte[] readLabels(Path file, int numClasses) throws IOException {
        byte[] bytes = readMaybeGzip(file);
        ByteBuffer b = header(file, bytes, MAGIC_LABELS, 1);
        long count = Integer.toUnsignedLong(b.getInt(4));
        checkLength(file, bytes.length, 8 + count, count + " labels");
        byte[] labels = new byte[(int) count];
        System.arraycopy(bytes, 8, labels, 0, labels.length);
        for (int i = 0; i < labels.length; i++) {
            int y = labels[i] & 0xFF;
            if (y >= numClasses) {
                throw new IdxFormatException(file, "label " + y + " at index " + i + " is outside 0.." + (numClasses - 1));
            }
        }
        return labels;
    }

    /** Writes an image file (for tests and synthetic data), gzip-compressed if asked; atomically. */
    public static void writeImages(Path file, Images images, boolean gzip) throws IOException {
        if (images.pixels().length != (long) images.count() * images.size()) {
            throw new IllegalArgumentException("writeImages: " + images.pixels().length + " pixels for "
                    + images.count() + " images of " + images.rows() + "x" + images.cols());
        }
        ByteBuffer h = ByteBuffer.allocate(16);
        h.putInt(MAGIC_IMAGES).putInt(images.count()).putInt(images.rows()).putInt(images.cols());
        write(file, h.array(), images.pixels(), gzip);
    }

    /** Writes a label file (for tests and synthetic data), gzip-compressed if asked; atomically. */
    public static void writeLabels(Path file, byte[] labels, boolean gzip) throws IOException {
        ByteBuffer h = ByteBuffer.allocate(8);
        h.putInt(MAGIC_LABELS).putInt(labels.length);
        write(file, h.array(), labels, gzip);
    }

    // ---------------------------------------------------------------- internals

    private static ByteBuffer header(Path file, byte[] bytes, int magic, int dims) throws IdxFormatException {
        int headerLength = 4 + 4 * dims;
        if (bytes.length < 4) {
            throw new IdxFormatException(file, "only " + bytes.length + " bytes, no room for the magic number (truncated?)");
        }
        ByteBuffer b = ByteBuffer.wrap(bytes); // big-endian by default, as IDX is
        int found = b.getInt(0);
        if (found != magic) {
            String what = magic == MAGIC_IMAGES ? "an image file" : "a label file";
            String hint = found == MAGIC_IMAGES ? " (this is an image file)"
                    : found == MAGIC_LABELS ? " (this is a label file)" : "";
            throw new IdxFormatException(file, String.format("magic number 0x%08x, expected 0x%08x for %s%s",
                    found, magic, what, hint));
        }
        if (bytes.length < headerLength) {
            throw new IdxFormatException(file, "only " + bytes.length + " bytes, shorter than the "
                    + headerLength + "-byte header (truncated?)");
        }
        return b;
    }

    private static void checkLength(Path file, long actual, long expected, String what) throws IdxFormatException {
        if (actual != expected) {
            throw new IdxFormatException(file, "header declares " + what + " = " + expected + " bytes, but the file has "
                    + actual + (actual < expected ? " (truncated)" : " (trailing bytes)"));
        }
    }

    /** The file's bytes, gunzipped if it starts with the gzip magic {@code 1f 8b}. */
    public static byte[] readMaybeGzip(Path file) throws IOException {
        byte[] raw = Files.readAllBytes(file);
        if (raw.length >= 2 && (raw[0] & 0xFF) == 0x1f && (raw[1] & 0xFF) == 0x8b) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw), 1 << 16)) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length * 4);
                in.transferTo(out);
                return out.toByteArray();
            } catch (java.io.EOFException | ZipException e) {
                throw new IdxFormatException(file, "corrupt or truncated gzip data: " + e.getMessage());
            }
        }
        return raw;
    }

    private static void write(Path file, byte[] header, byte[] body, boolean gzip) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp");
        try {
            try (OutputStream raw = Files.newOutputStream(tmp);
                 OutputStream out = gzip ? new GZIPOutputStream(raw, 1 << 16) : raw) {
                out.write(header);
                out.write(body);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
