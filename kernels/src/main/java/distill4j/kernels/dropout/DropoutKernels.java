package distill4j.kernels.dropout;

/**
 * The dropout family, with the counter-based Philox4x32-10 mask of {@link Philox}: the mask is a pure
 * function of (seed, step, index), so it is the same bits on every backend and is recomputed in the
 * backward pass instead of stored. {@link ScalarDropout} is the reference, {@link SimdDropout} the
 * Vector API version (Philox itself vectorised).
 */
public interface DropoutKernels {

    /**
     * y (n) = x · keep / (1 − p), where keep for element i is {@link Philox#keep(long, long, long, float)}
     * with index {@code indexBase + i}. 0 ≤ p &lt; 1; p = 0 copies. y may be x.
     */
    void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase);

    /** dx (n) = dy · keep / (1 − p) with the same mask as the forward call, or dx += that when accumulating. */
    void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                         boolean accumulate);
}
