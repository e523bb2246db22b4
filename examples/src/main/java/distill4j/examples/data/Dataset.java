package distill4j.examples.data;

import java.util.Arrays;
import java.util.function.IntPredicate;

/**
 * Labelled images kept as unsigned bytes (count, rows, cols) — 47 MB for MNIST's training set instead
 * of 188 MB as floats; batches are converted to float32 in [0, 1] as they are assembled. Labels are
 * class indices 0..classes−1. Immutable; subsets copy (and keep the number of classes).
 */
public final class Dataset implements Examples {
    /** Number of classes of MNIST (digits 0–9), the default when none is given. */
    public static final int CLASSES = 10;

    private final String name;
    private final int classes;
    private final int count;
    private final int rows;
    private final int cols;
    private final byte[] pixels;
    private final byte[] labels;

    /** Images with labels in 0..9 (MNIST's ten classes). */
    public Dataset(String name, Idx.Images images, byte[] labels) {
        this(name, images, labels, CLASSES);
    }

    /** Images with labels in 0..classes−1. */
    public Dataset(String name, Idx.Images images, byte[] labels, int classes) {
        this(name, classes, images.count(), images.rows(), images.cols(), images.pixels(), labels);
    }

    private Dataset(String name, int classes, int count, int rows, int cols, byte[] pixels, byte[] labels) {
        if (classes < 2 || classes > 256) {
            throw new IllegalArgumentException("dataset " + name + ": " + classes + " classes (need 2..256)");
        }
        for (int i = 0; i < labels.length; i++) {
            if ((labels[i] & 0xFF) >= classes) {
                throw new IllegalArgumentException("dataset " + name + ": label " + (labels[i] & 0xFF) + " at index " + i
                        + " is outside 0.." + (classes - 1));
            }
        }
        if (labels.length != count) {
            throw new IllegalArgumentException("dataset " + name + ": " + count + " images but " + labels.length + " labels");
        }
        if (pixels.length != (long) count * rows * cols) {
            throw new IllegalArgumentException("dataset " + name + ": " + pixels.length + " pixels for " + count
                    + " images of " + rows + "x" + cols);
        }
        this.name = name;
        this.classes = classes;
        this.count = count;
        this.rows = rows;
        this.cols = cols;
        this.pixels = pixels;
        this.labels = labels;
    }

    public String name() { return name; }
    /** Number of classes: labels are 0..classes−1 (not every class need occur in a subset). */
    public int classes() { return classes; }
    public int count() { return count; }
    public int rows() { return rows; }
    public int cols() { return cols; }
    /** Pixels per image (784 for MNIST). */
    public int features() { return rows * cols; }
    public int label(int i) { return labels[i] & 0xFF; }
    /** Pixel (r, c) of image i as an unsigned byte value 0..255. */
    public int pixel(int i, int r, int c) { return pixels[(i * rows + r) * cols + c] & 0xFF; }

    /** All labels as ints. */
    public int[] labels() {
        int[] y = new int[count];
        for (int i = 0; i < count; i++) y[i] = labels[i] & 0xFF;
        return y;
    }

    /** How many examples of each class. */
    public int[] classCounts() {
        int[] n = new int[classes];
        for (int i = 0; i < count; i++) n[labels[i] & 0xFF]++;
        return n;
    }

    /** The examples at {@code indices}, in that order, under a new name. */
    public Dataset select(String newName, int[] indices) {
        int size = features();
        byte[] p = new byte[indices.length * size];
        byte[] l = new byte[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= count) {
                throw new IndexOutOfBoundsException("dataset " + name + ": index " + i + " outside 0.." + (count - 1));
            }
            System.arraycopy(pixels, i * size, p, k * size, size);
            l[k] = labels[i];
        }
        return new Dataset(newName, classes, indices.length, rows, cols, p, l);
    }

    /** The first {@code n} examples (all of them if n ≥ count). */
    public Dataset first(String newName, int n) {
        int m = Math.min(n, count);
        int[] idx = new int[m];
        for (int i = 0; i < m; i++) idx[i] = i;
        return select(newName, idx);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive). */
    public Dataset range(String newName, int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("dataset " + name + ": range [" + from + ", " + to + ") of " + count);
        }
        int[] idx = new int[to - from];
        for (int i = 0; i < idx.length; i++) idx[i] = from + i;
        return select(newName, idx);
    }

    /** Indices in [from, to) of the examples whose label satisfies {@code keep}, in order. */
    public int[] indicesWhere(IntPredicate keep, int from, int to) {
        if (from < 0 || to > count || from > to) {
            throw new IndexOutOfBoundsException("dataset " + name + ": range [" + from + ", " + to + ") of " + count);
        }
        int[] idx = new int[to - from];
        int m = 0;
        for (int i = from; i < to; i++) if (keep.test(labels[i] & 0xFF)) idx[m++] = i;
        return Arrays.copyOf(idx, m);
    }

    /** The examples whose label satisfies {@code keep}, in their original order. */
    public Dataset filterLabels(String newName, IntPredicate keep) {
        int[] idx = new int[count];
        int m = 0;
        for (int i = 0; i < count; i++) if (keep.test(labels[i] & 0xFF)) idx[m++] = i;
        return select(newName, Arrays.copyOf(idx, m));
    }

    /**
     * Writes examples {@code order[from..to)} into x (to − from, features) as float32 in [0, 1] and
     * their labels into y. With a jitter, each image is translated by its (epoch, index) shift.
     */
    public void batch(int[] order, int from, int to, float[] x, int[] y, Jitter jitter, long epoch) {
        int size = features();
        for (int k = 0; k < to - from; k++) {
            int i = order == null ? from + k : order[from + k];
            if (y != null) y[k] = labels[i] & 0xFF;
            if (jitter == null) {
                int base = i * size;
                int out = k * size;
                for (int j = 0; j < size; j++) x[out + j] = (pixels[base + j] & 0xFF) * (1f / 255f);
            } else {
                jitter.translate(pixels, i * size, rows, cols, x, k * size, epoch, i);
            }
        }
    }

    /** A content fingerprint (SHA-256 of shape, pixels and labels), used to key caches. */
    public String fingerprint() {
        try {
            var md = java.security.MessageDigest.getInstance("SHA-256");
            md.update(java.nio.ByteBuffer.allocate(12).putInt(count).putInt(rows).putInt(cols).array());
            md.update(pixels);
            md.update(labels);
            return java.util.HexFormat.of().formatHex(md.digest());
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public String toString() {
        return name + " (" + count + " images " + rows + "x" + cols + ")";
    }

    /** Lower-case hex SHA-256 of some bytes (names caches and checkpoint directories). */
    public static String sha256(byte[] data) {
        try {
            return java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(data));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
