package distill4j.engine.loss;

/** How a loss reduces its per-example values: always explicit, never a per-element mean. */
public enum Reduction {
    /** Σ over examples / number of examples (PyTorch's "batchmean" for KL). */
    BATCH_MEAN,
    /** Σ over examples. */
    SUM;

    /** The factor applied to the sum over a batch of {@code batch} examples. */
    public float factor(int batch) {
        if (this == SUM) return 1f;
        if (batch <= 0) throw new IllegalArgumentException("BATCH_MEAN of an empty batch");
        return 1f / batch;
    }
}
