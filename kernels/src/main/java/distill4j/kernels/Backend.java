package distill4j.kernels;

/**
 * What a device must provide to the engine: the kernel families of training a ReLU MLP with dropout
 * and a distillation loss. Every method works on dense, row-major float32 arrays starting at index 0.
 *
 * <p>Implementations: {@code ScalarBackend} (the plain reference and oracle of every test),
 * {@code SimdBackend} (Vector API, threaded), the CUDA backend. All must give the same results within
 * the tolerances named in the tests; dropout masks must be bit-identical (see {@link Philox}).
 *
 * <p>Conventions: output arrays may be the same array as an input only where a method says so.
 * Sizes are element counts; a method may assume arrays are at least as long as its sizes say.
 * Methods never allocate per call on the hot path (implementations may keep scratch buffers).
 */
public interface Backend {

    /** Short name used in logs and by {@code -Ddistill4j.backend=NAME}: "scalar", "simd", "cuda". */
    String name();

    // ---------------------------------------------------------------- GEMM

    /**
     * C (m, n) = op(A) · op(B), or C += op(A) · op(B) when {@code accumulate}.
     * <ul>
     *   <li>{@link GemmLayout#NN}: A (m, k), B (k, n)</li>
     *   <li>{@link GemmLayout#NT}: A (m, k), B (n, k), i.e. A · Bᵀ (forward of Linear: x · Wᵀ)</li>
     *   <li>{@link GemmLayout#TN}: A (k, m), B (k, n), i.e. Aᵀ · B (weight gradient: dyᵀ · x)</li>
     * </ul>
     * C must not alias A or B. m, n, k ≥ 0 (k = 0 gives zeros, or leaves C unchanged when accumulating).
     */
    void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate);

    // ---------------------------------------------------------------- bias, ReLU

    /** y (rows, cols) += bias (cols), broadcast over rows. In place. */
    void biasAddForward(float[] y, float[] bias, int rows, int cols);

    /** db (cols) = Σ_rows dy (rows, cols), or db += that sum when {@code accumulate}. */
    void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate);

    /** y (n) = max(x, 0). y may be x (in place). */
    void reluForward(float[] x, float[] y, int n);

    /**
     * dx (n) = dy · [y &gt; 0] where y is the ReLU's output (or its input: same sign test), or
     * dx += that when {@code accumulate}. dx may be dy when not accumulating.
     */
    void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate);

    // ---------------------------------------------------------------- dropout (Philox4x32-10)

    /**
     * y (n) = x · keep / (1 − p), where keep for element i is {@link Philox#keep(long, long, long, float)}
     * with index {@code indexBase + i}: the mask is a pure function of (seed, step, index), so it is the
     * same on every backend and is recomputed in the backward pass instead of stored.
     * 0 ≤ p &lt; 1; p = 0 copies. y may be x.
     */
    void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase);

    /** dx (n) = dy · keep / (1 − p) with the same mask as the forward call, or dx += that when accumulating. */
    void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                         boolean accumulate);

    // ---------------------------------------------------------------- softmax with temperature

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

    // ---------------------------------------------------------------- fused softmax + cross-entropy

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

    // ---------------------------------------------------------------- elementwise and reductions

    /** y (n) += a · x. */
    void axpy(int n, float a, float[] x, float[] y);

    /** x (n) *= a. */
    void scale(int n, float a, float[] x);

    /** Σ x (n), accumulated in float64. */
    double sum(float[] x, int n);

    /** Σ x² (n), accumulated in float64. */
    double sumOfSquares(float[] x, int n);

    // ---------------------------------------------------------------- optimizer updates

    /**
     * SGD with momentum, PyTorch semantics (dampening d, weight decay wd, optional Nesterov):
     * g' = g + wd·w;  v = μ·v + (1 − d)·g';  w −= lr · (nesterov ? g' + μ·v : v).
     * With μ = 0 the velocity buffer is still updated (v = (1 − d)·g') and may be null only if μ = 0.
     */
    void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                   float weightDecay, boolean nesterov);

    /**
     * Adam (Kingma &amp; Ba), PyTorch semantics with L2 weight decay: g' = g + wd·w;
     * m = β1·m + (1−β1)·g'; v = β2·v + (1−β2)·g'²; w −= lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε).
     * t ≥ 1 is the step number after increment.
     */
    void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                    float eps, float weightDecay, long t);

    /**
     * Max-norm constraint (Srivastava et al. / Hinton et al. 2012): w (rows, cols) holds one unit's
     * incoming weights per row (Linear's (out, in) layout); each row with L2 norm above maxNorm is
     * rescaled to norm maxNorm. Rows at or below it are untouched.
     */
    void maxNormRows(float[] w, int rows, int cols, float maxNorm);
}
