package distill4j.examples.data;

/**
 * What the training loop (the train package's {@code Trainer}), evaluation and the logit cache need
 * of a labelled data set: its size, how to assemble a float batch, the labels, and a content
 * fingerprint that keys checkpoints and caches. {@link Dataset} (images) and the speech frames
 * (the speech package's {@code Frames}) implement it.
 */
public interface Examples {
    String name();
    /** Number of examples. */
    int count();
    /** Inputs per example. */
    int features();
    /** All labels as ints, in order. */
    int[] labels();
    /**
     * Writes examples {@code order[from..to)} (or {@code from..to} when order is null) into x
     * (to − from, features) and, when y is not null, their labels into y. A jitter may be ignored by
     * data that has none.
     */
    void batch(int[] order, int from, int to, float[] x, int[] y, Jitter jitter, long epoch);
    /** Lower-case hex SHA-256 of the contents (shape, inputs, labels). */
    String fingerprint();
}
