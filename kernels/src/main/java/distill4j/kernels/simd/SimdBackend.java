package distill4j.kernels.simd;

import distill4j.kernels.Backend;
import distill4j.kernels.GemmLayout;

/**
 * The CPU fast path: every kernel family vectorised with the Vector API ({@code jdk.incubator.vector},
 * species {@link SimdParams#F}), one class per family ({@link SimdGemm}, {@link SimdSoftmax},
 * {@link SimdElementwise}, {@link SimdDropout}, {@link SimdOptim}); GEMM also runs on a pool of
 * threads ({@link #setThreads}). Results match {@code ScalarBackend} within the tolerances named in
 * the contract test; dropout masks are bit-identical.
 *
 * <p>Needs {@code --add-modules jdk.incubator.vector}; without it the constructor throws
 * {@link NoClassDefFoundError} and {@code Backends} falls back to scalar.
 */
public final class SimdBackend implements Backend {

    public SimdBackend() {
        // touch the Vector API now, so a JVM without the incubator module fails here, in create()
        if (SimdParams.LANES < 1) throw new IllegalStateException("no float vector species");
    }

    @Override public String name() { return "simd"; }

    /** Threads (including the caller) that large GEMMs are split over; also {@code -Ddistill4j.threads=N}. */
    public static void setThreads(int threads) {
        SimdGemm.setThreads(threads);
    }

    /** The current GEMM thread count. */
    public static int threads() {
        return SimdGemm.threads();
    }

    /** The pool's worker threads (for allocation accounting); the calling thread is not among them. */
    public static Thread[] workerThreads() {
        return SimdGemm.workerThreads();
    }

    /** Float lanes per vector in use (16 with AVX-512). */
    public static int lanes() {
        return SimdParams.LANES;
    }

    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        SimdGemm.gemmF32(layout, m, n, k, a, b, c, accumulate);
    }

    @Override public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        SimdElementwise.biasAddForward(y, bias, rows, cols);
    }

    @Override public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        SimdElementwise.biasBackward(dy, db, rows, cols, accumulate);
    }

    @Override public void reluForward(float[] x, float[] y, int n) {
        SimdElementwise.reluForward(x, y, n);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        SimdElementwise.reluBackward(y, dy, dx, n, accumulate);
    }

    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        SimdDropout.dropoutForward(x, y, n, p, seed, step, indexBase);
    }

    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        SimdDropout.dropoutBackward(dy, dx, n, p, seed, step, indexBase, accumulate);
    }

    @Override public void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        SimdSoftmax.softmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                boolean accumulate) {
        SimdSoftmax.softmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override public void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        SimdSoftmax.logSoftmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                   boolean accumulate) {
        SimdSoftmax.logSoftmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override
    public double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        return SimdSoftmax.softmaxCrossEntropyHard(logits, labels, grad, rows, cols, temperature, gradScale);
    }

    @Override
    public double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        return SimdSoftmax.softmaxCrossEntropySoft(logits, targets, grad, rows, cols, temperature, gradScale);
    }

    @Override public void axpy(int n, float a, float[] x, float[] y) { SimdElementwise.axpy(n, a, x, y); }

    @Override public void scale(int n, float a, float[] x) { SimdElementwise.scale(n, a, x); }

    @Override public double sum(float[] x, int n) { return SimdElementwise.sum(x, n); }

    @Override public double sumOfSquares(float[] x, int n) { return SimdElementwise.sumOfSquares(x, n); }

    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov) {
        SimdOptim.sgdUpdate(n, w, g, v, lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                           float eps, float weightDecay, long t) {
        SimdOptim.adamUpdate(n, w, g, m, v, lr, beta1, beta2, eps, weightDecay, t);
    }

    @Override public void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        SimdOptim.maxNormRows(w, rows, cols, maxNorm);
    }
}
