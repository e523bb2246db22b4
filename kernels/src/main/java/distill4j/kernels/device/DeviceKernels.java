package distill4j.kernels.device;

import distill4j.kernels.gemm.GemmLayout;

/**
 * The kernels of a training step on memory that stays on a device: the same families and semantics
 * as {@link distill4j.kernels.Backend} (gemm, softmax/loss, dropout, elementwise, optim; every
 * method's contract is the one of the same-named {@code float[]} method), with operands as
 * {@link DeviceArray}s. The only host↔device traffic is what a method's name says:
 * {@link #upload}, {@link #download}, the labels and per-row losses of the fused losses, the partial
 * sums of {@link #sum}.
 *
 * <p>This is the seam by which the engine keeps a tensor's data where the backend put it
 * ({@code Tensor.toDevice}); a backend offers it through {@link distill4j.kernels.Backend#deviceKernels()}.
 * {@link ReferenceDeviceKernels} is the plain version on host arrays (the oracle of the tests); the
 * CUDA backend's is {@code distill4j.cuda.CudaDeviceKernels}.
 *
 * <p>Work may be queued: the results are in place by the next {@link #download} or loss.
 */
public interface DeviceKernels {

    /** Short name for messages ("cuda", "reference"). */
    String name();

    // ---------------------------------------------------------------- memory

    /** n floats of device memory, contents unspecified. */
    DeviceArray allocate(int n);

    /** Device ← host: the first n floats of src into dst. */
    void upload(float[] src, DeviceArray dst, int n);

    /** Host ← device: the first n floats of src into dst. */
    void download(DeviceArray src, float[] dst, int n);

    /** Device → device: the first n floats of src into dst. */
    void copy(DeviceArray src, DeviceArray dst, int n);

    // ---------------------------------------------------------------- gemm

    /** C (m, n) (+)= op(A) · op(B); NN: A (m, k), B (k, n) | NT: B (n, k) | TN: A (k, m). C must not alias A or B. */
    void gemm(GemmLayout layout, int m, int n, int k, DeviceArray a, DeviceArray b, DeviceArray c, boolean accumulate);

    // ---------------------------------------------------------------- elementwise

    /** y (rows, cols) += bias (cols). */
    void biasAddForward(DeviceArray y, DeviceArray bias, int rows, int cols);

    /** db (cols) (+)= Σ_rows dy (rows, cols). */
    void biasBackward(DeviceArray dy, DeviceArray db, int rows, int cols, boolean accumulate);

    /** y (n) = max(x, 0), NaN passed through; y may be x. */
    void reluForward(DeviceArray x, DeviceArray y, int n);

    /** dx (n) (+)= dy · [y &gt; 0]. */
    void reluBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int n, boolean accumulate);

    /** y (n) += a · x. */
    void axpy(int n, float a, DeviceArray x, DeviceArray y);

    /** x (n) *= a. */
    void scale(int n, float a, DeviceArray x);

    /** x[0, n) = value, bit for bit. */
    void fill(int n, float value, DeviceArray x);

    /** Σ x (n) in float64 (the partial sums cross to the host). */
    double sum(DeviceArray x, int n);

    // ---------------------------------------------------------------- dropout

    /** y (n) = x · keep / (1 − p), the Philox mask of (seed, step, indexBase + i); y may be x. */
    void dropoutForward(DeviceArray x, DeviceArray y, int n, float p, long seed, long step, long indexBase);

    /** dx (n) (+)= dy · keep / (1 − p). */
    void dropoutBackward(DeviceArray dy, DeviceArray dx, int n, float p, long seed, long step, long indexBase,
                         boolean accumulate);

    // ---------------------------------------------------------------- softmax and losses

    /** x (rows, cols) → y = softmax(x / T) per row. */
    void softmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature);

    /** dx (+)= y ⊙ (dy − Σ dy·y) / T. */
    void softmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                         boolean accumulate);

    /** x (rows, cols) → y = log_softmax(x / T) per row. */
    void logSoftmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature);

    /** dx (+)= (dy − exp(y) Σ dy) / T. */
    void logSoftmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                            boolean accumulate);

    /**
     * Fused softmax(z / T) + cross-entropy against hard labels (host: uploaded): returns Σ_rows −log q_label
     * (the per-row losses come back and are added in row order); grad = gradScale · (1/T)(q − onehot)
     * unless null.
     */
    double softmaxCrossEntropyHard(DeviceArray logits, int[] labels, DeviceArray grad, int rows, int cols,
                                   float temperature, float gradScale);

    /** The same against soft targets p (rows, cols) on the device: Σ_rows −Σ_j p_j log q_j; grad = gradScale · (1/T)(q − p). */
    double softmaxCrossEntropySoft(DeviceArray logits, DeviceArray targets, DeviceArray grad, int rows, int cols,
                                   float temperature, float gradScale);

    // ---------------------------------------------------------------- optim

    /** SGD with momentum, weight decay and Nesterov, as {@code OptimKernels.sgdUpdate}; v may be null only if μ = 0. */
    void sgdUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray v, float lr, float momentum, float dampening,
                   float weightDecay, boolean nesterov);

    /** Adam, as {@code OptimKernels.adamUpdate}; t ≥ 1. */
    void adamUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray m, DeviceArray v, float lr, float beta1,
                    float beta2, float eps, float weightDecay, long t);

    /** w (rows, cols): rows with L2 norm above maxNorm rescaled to it. */
    void maxNormRows(DeviceArray w, int rows, int cols, float maxNorm);
}
