package distill4j.examples.data;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.HexFormat;

/**
 * Some examples of another data set with their labels mapped to new ones: example k is example
 * {@code indices[k]} of the base, its label {@code labelMap[base label]}. A specialist (Hinton et al.
 * 2015, §5) trains on such a view: its sample of the training set, with every class outside its own
 * mapped to its dustbin class.
 */
public final class Relabelled implements Examples {
    private final String name;
    private final Examples base;
    private final int[] indices;
    private final int[] labelMap;
    private final int[] labels;
    private String fingerprint;
    /** The base indices of the batch being made (not thread-safe, as the trainer's batches are made one at a time). */
    private int[] pick = new int[0];

    /** {@code indices} null = every example of the base, in order; {@code labelMap} has one entry per base class. */
    public Relabelled(String name, Examples base, int[] indices, int[] labelMap) {
        this.name = name;
        this.base = base;
        if (indices == null) {
            indices = new int[base.count()];
            for (int i = 0; i < indices.length; i++) indices[i] = i;
        }
        for (int i : indices) {
            if (i < 0 || i >= base.count()) throw new IndexOutOfBoundsException(name + ": example " + i + " outside 0.." + (base.count() - 1) + " of " + base.name());
        }
        this.indices = indices.clone();
        this.labelMap = labelMap.clone();
        int[] baseLabels = base.labels();
        this.labels = new int[this.indices.length];
        for (int k = 0; k < labels.length; k++) {
            int y = baseLabels[this.indices[k]];
            if (y < 0 || y >= labelMap.length) {
                throw new IllegalArgumentException(name + ": label " + y + " of " + base.name() + " example " + this.indices[k]
                        + " has no entry in the label map of " + labelMap.length + " classes");
            }
            labels[k] = labelMap[y];
        }
    }

    @Override public String name() { return name; }
    @Override public int count() { return indices.length; }
    @Override public int features() { return base.features(); }
    @Override public int[] labels() { return labels.clone(); }

    // examples order[from..to) of this view -> base examples indices[...] -> x (to - from, features), y mapped
    @Override
    public void batch(int[] order, int from, int to, float[] x, int[] y, Jitter jitter, long epoch) {
        int n = to - from;
        if (pick.length < n) pick = new int[n]; // reused: one array for every batch of a run
        for (int k = 0; k < n; k++) pick[k] = indices[order == null ? from + k : order[from + k]];
        base.batch(pick, 0, n, x, null, jitter, epoch);
        if (y != null) for (int k = 0; k < n; k++) y[k] = labels[order == null ? from + k : order[from + k]];
    }

    /** SHA-256 of the base's fingerprint, the indices and the label map. */
    @Override
    public synchronized String fingerprint() {
        if (fingerprint != null) return fingerprint;
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update(base.fingerprint().getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            md.update(ints(indices));
            md.update(ints(labelMap));
            fingerprint = HexFormat.of().formatHex(md.digest());
            return fingerprint;
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] ints(int[] a) {
        ByteBuffer b = ByteBuffer.allocate(4 * a.length).order(ByteOrder.LITTLE_ENDIAN);
        b.asIntBuffer().put(a);
        return b.array();
    }

    @Override
    public String toString() { return name + " (" + indices.length + " examples of " + base + ")"; }
}
