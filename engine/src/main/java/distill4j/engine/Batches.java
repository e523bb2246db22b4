package distill4j.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/** Mini-batch helpers: shuffled index batches (seeded), label selection, accuracy. */
public final class Batches {
    private Batches() {}

    /**
     * The indices 0..n−1 in an order shuffled by {@code seed} (Fisher–Yates), cut into batches of
     * {@code batchSize}; the last batch holds the remainder. Same seed, same batches.
     */
    public static List<int[]> shuffled(int n, int batchSize, long seed) {
        if (n < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("batches: need n ≥ 0 and batchSize > 0, got n = " + n + ", batchSize = " + batchSize);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return cut(order, batchSize);
    }

    /** 0..n−1 in order, in batches (for evaluation). */
    public static List<int[]> sequential(int n, int batchSize) {
        if (n < 0 || batchSize <= 0) {
            throw new IllegalArgumentException("batches: need n ≥ 0 and batchSize > 0, got n = " + n + ", batchSize = " + batchSize);
        }
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        return cut(order, batchSize);
    }

    private static List<int[]> cut(int[] order, int batchSize) {
        List<int[]> out = new ArrayList<>();
        for (int from = 0; from < order.length; from += batchSize) {
            int to = Math.min(order.length, from + batchSize);
            int[] b = new int[to - from];
            System.arraycopy(order, from, b, 0, b.length);
            out.add(b);
        }
        return out;
    }

    /** labels[indices[i]] for each i: the labels of a mini-batch. */
    public static int[] select(int[] labels, int[] indices) {
        int[] out = new int[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = labels[indices[i]];
        return out;
    }

    /** Fraction of rows whose largest logit is at the label. */
    public static double accuracy(Tensor logits, int[] labels) {
        int[] pred = logits.argmaxRows();
        if (pred.length != labels.length) {
            throw new IllegalArgumentException("accuracy: " + pred.length + " predictions for " + labels.length + " labels");
        }
        int right = 0;
        for (int i = 0; i < pred.length; i++) if (pred[i] == labels[i]) right++;
        return pred.length == 0 ? 0 : (double) right / pred.length;
    }
}
