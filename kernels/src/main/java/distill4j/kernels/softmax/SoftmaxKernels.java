package distill4j.kernels.softmax;

/**
 * The softmax family: softmax and log-softmax with temperature, forward and backward, and the fused
 * softmax + cross-entropy losses (against hard labels and soft targets) with their gradient.
 * {@link ScalarSoftmax} is the reference, {@link SimdSoftmax} the Vector API version. Arrays are
 * dense, row-major, from index 0; T &gt; 0 and finite.
 */
public interface SoftmaxKernels {

    /** y (rows, cols) = softmax(x / T) per row. y may be x. T &gt; 0. */
    void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature);

    /** dx = y ⊙ (dy − Σ_j dy_j y_j) / T per row, y the softmax output; dx += when accumulating. */
    void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                         boolean accumulate);

    /** y (rows, cols) = log_softmax(x / T) per row, stable for |x| up to 1e4 and T in [0.05, 100]. */
    void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature);

    /** dx = (dy − softmax · Σ_j dy_j) / T per row, y the log-softmax output; dx += when accumulating. */
    void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                            boolean accumulate);

    /**
     * Fused softmax-with-temperature + cross-entropy against hard labels.
     * logits z (rows, cols), labels (rows) in [0, cols) → returns Σ_rows −log q_label (float64 sum),
     * with q = softmax(z / T). If {@code grad} is not null, also writes
     * grad (rows, cols) = gradScale · (1/T) · (q − onehot(label)), the derivative of gradScale · loss.
     */
    double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                   float temperature, float gradScale);

    /**
     * Fused softmax-with-temperature + cross-entropy against soft targets p (rows, cols) (each row a
     * probability distribution, e.g. the teacher's softmax at the same T) → returns
     * Σ_rows −Σ_j p_j log q_j, q = softmax(z / T); grad = gradScale · (1/T) · (q − p) when not null.
     */
    double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                   float temperature, float gradScale);
}
