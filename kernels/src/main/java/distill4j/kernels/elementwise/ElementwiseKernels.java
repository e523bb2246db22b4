package distill4j.kernels.elementwise;

/**
 * The elementwise family: bias add and its gradient, ReLU forward and backward, axpy, scale and the
 * float64-accumulated sums. {@link ScalarElementwise} is the reference, {@link SimdElementwise} the
 * Vector API version. Arrays are dense, row-major, from index 0.
 */
public interface ElementwiseKernels {

    /** y (rows, cols) += bias (cols), broadcast over rows. In place. */
    void biasAddForward(float[] y, float[] bias, int rows, int cols);

    /** db (cols) = Σ_rows dy (rows, cols), or db += that sum when {@code accumulate}. */
    void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate);

    /**
     * y (n) = max(x, 0), with NaN passed through as in PyTorch (relu(NaN) = NaN, so a NaN weight
     * reaches the loss instead of being hidden as 0). y may be x (in place).
     */
    void reluForward(float[] x, float[] y, int n);

    /**
     * dx (n) = dy · [y &gt; 0] where y is the ReLU's output (or its input: same sign test), or
     * dx += that when {@code accumulate}. dx may be dy when not accumulating.
     */
    void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate);

    /** y (n) += a · x. */
    void axpy(int n, float a, float[] x, float[] y);

    /** x (n) *= a. */
    void scale(int n, float a, float[] x);

    /**
     * x[0, n) = value, every element exactly (the bits of {@code value}, −0 and NaN included): zeroes a
     * gradient before accumulation.
     */
    void fill(int n, float value, float[] x);

    /** Σ x (n), accumulated in float64. */
    double sum(float[] x, int n);

    /** Σ x² (n), accumulated in float64. */
    double sumOfSquares(float[] x, int n);
}
