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
        if (batchSize <= 0) {
            throw new IllegalArgumentException("batches: need n ≥ 0 and batchSize > 0, got n = " + n + ", batchSize = " + batchSize);
        }
        return cut(order(n, seed), batchSize);
    }

    /**
     * The indices 0..n−1 shuffled by {@code seed}: Fisher–Yates from the last position down, each swap
     * partner drawn by {@link SplittableRandom#nextInt(int)} of a generator seeded with {@code seed}.
     * {@link #shuffled} cuts this order into batches.
     */
    public static int[] order(int n, long seed) {
        if (n < 0) throw new IllegalArgumentException("batches: need n ≥ 0, got n = " + n);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        SplittableRandom rng = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = order[i];
            order[i] = order[j];
            order[j] = tmp;
        }
        return order;
    }

    /**
     * The example order of epoch {@code epoch} of a run seeded by {@code seed}: {@link #order} under the
     * seed {@link #epochSeed}(seed, epoch). A pure function of (seed, epoch), so a run resumed at any
     * epoch sees the same orders as an uninterrupted one.
     */
    public static int[] epochOrder(int n, long seed, int epoch) {
        return order(n, epochSeed(seed, epoch));
    }

    /** The shuffle seed of an epoch: seed · 0x9E3779B97F4A7C15 (the golden-ratio increment) + epoch, wrapping. */
    public static long epochSeed(long seed, int epoch) {
        return seed * 0x9E3779B97F4A7C15L + epoch;
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
