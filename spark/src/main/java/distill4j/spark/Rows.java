package distill4j.spark;

import distill4j.examples.data.Examples;
import distill4j.examples.data.Jitter;
import java.util.Arrays;

/** Examples {@code from..to} of another {@link Examples}, in order: one Spark partition of a transfer set. */
final class Rows implements Examples {
    private final Examples all;
    private final int from, to;

    Rows(Examples all, int from, int to) {
        if (from < 0 || to < from || to > all.count()) throw new IndexOutOfBoundsException("rows " + from + ".." + to + " of " + all.count());
        this.all = all;
        this.from = from;
        this.to = to;
    }

    @Override public String name() { return all.name() + "[" + from + ".." + to + ")"; }
    @Override public int count() { return to - from; }
    @Override public int features() { return all.features(); }
    @Override public int[] labels() { return Arrays.copyOfRange(all.labels(), from, to); }

    @Override
    public void batch(int[] order, int a, int b, float[] x, int[] y, Jitter jitter, long epoch) {
        if (order == null) {
            all.batch(null, from + a, from + b, x, y, jitter, epoch);
            return;
        }
        int[] shifted = new int[b - a];
        for (int k = 0; k < shifted.length; k++) shifted[k] = from + order[a + k];
        all.batch(shifted, 0, shifted.length, x, y, jitter, epoch);
    }

    /** The whole set's fingerprint and the range: names a part file. */
    @Override
    public String fingerprint() {
        return distill4j.examples.data.Dataset.sha256((all.fingerprint() + " rows " + from + ".." + to)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
    }
}
