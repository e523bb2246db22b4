package distill4j.examples.train;

import distill4j.examples.data.Examples;

/** Test errors and logits of a net over a whole dataset. */
public final class Eval {
    /** Rows per forward pass of {@link #logits}: a caller that splits a data set at multiples of it gets the same bits. */
    public static final int CHUNK = 1000;

    private Eval() {}

    /** Eval-mode logits of every example: (count, classes). */
    public static float[] logits(Net net, Examples data) {
        int classes = net.sizes()[net.sizes().length - 1];
        int f = data.features();
        float[] all = new float[data.count() * classes];
        float[] x = new float[Math.min(CHUNK, Math.max(1, data.count())) * f];
        float[] out = new float[Math.min(CHUNK, Math.max(1, data.count())) * classes];
        for (int r = 0; r < data.count(); r += CHUNK) {
            int to = Math.min(data.count(), r + CHUNK);
            data.batch(null, r, to, x, null, null, 0);
            net.logits(x, to - r, out);
            System.arraycopy(out, 0, all, r * classes, (to - r) * classes);
        }
        return all;
    }

    /** Number of misclassified examples. */
    public static int errors(Net net, Examples data) {
        int classes = net.sizes()[net.sizes().length - 1];
        return errors(logits(net, data), data.labels(), data.count(), classes);
    }

    /** Rows whose argmax (first maximum) differs from the label. */
    public static int errors(float[] logits, int[] labels, int rows, int classes) {
        int e = 0;
        for (int i = 0; i < rows; i++) if (argmax(logits, i * classes, classes) != labels[i]) e++;
        return e;
    }

    /** Errors among the examples whose label is {@code cls}. */
    public static int errorsOnClass(float[] logits, int[] labels, int classes, int cls) {
        int e = 0;
        for (int i = 0; i < labels.length; i++) if (labels[i] == cls && argmax(logits, i * classes, classes) != cls) e++;
        return e;
    }

    public static int argmax(float[] v, int off, int n) {
        int best = 0;
        for (int j = 1; j < n; j++) if (v[off + j] > v[off + best]) best = j;
        return best;
    }
}
