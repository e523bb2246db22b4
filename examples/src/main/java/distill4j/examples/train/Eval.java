package distill4j.examples.train;

import distill4j.engine.Grad;
import distill4j.engine.Tensor;
import distill4j.engine.loss.DistillationLoss;
import distill4j.examples.data.Examples;
import java.util.Arrays;

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

    /**
     * The loss of {@link Targets} on a whole data set in eval mode (no dropout, no jitter), as the
     * trainer shows its training loss: α · T² · KL(p ‖ q_T) + (1 − α) · CE(y, q_1), the mean over the
     * examples, with {@code soft} (count, classes) the soft targets p of those examples (null for hard
     * labels only). Computed without a graph, {@link #CHUNK} rows at a time.
     */
    @SuppressWarnings("try") // the scope only restores the grad mode on close
    public static double loss(Net net, Examples data, Targets targets, float[] soft) {
        int classes = net.sizes()[net.sizes().length - 1];
        int n = data.count();
        float[] z = logits(net, data);
        int[] labels = data.labels();
        DistillationLoss d = targets.loss();
        double sum = 0;
        try (var g = Grad.disabled()) {
            for (int r = 0; r < n; r += CHUNK) {
                int to = Math.min(n, r + CHUNK), rows = to - r;
                Tensor zr = Tensor.of(Arrays.copyOfRange(z, r * classes, to * classes), rows, classes);
                Tensor p = targets.usesSoft() ? Tensor.of(Arrays.copyOfRange(soft, r * classes, to * classes), rows, classes) : null;
                int[] y = targets.usesHard() ? Arrays.copyOfRange(labels, r, to) : null;
                // batch mean over the chunk, weighted by its rows: the mean over all n
                double chunk = d.compute(zr, p, y).item() - (p == null ? 0 : d.entropyOffset(p));
                sum += chunk * rows;
            }
        }
        return sum / Math.max(1, n);
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
