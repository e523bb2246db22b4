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

    /** Which dropout kernel this JVM runs: "permute" or "gather" (see {@code SimdDropout}); for benchmark logs. */
    public static String dropoutKernel() {
        return SimdDropout.PERMUTE ? "permute" : "gather";
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
        need("biasAddForward", rows, cols, "y", y, (long) rows * cols, "bias", bias, cols);
        SimdElementwise.biasAddForward(y, bias, rows, cols);
    }

    @Override public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        need("biasBackward", rows, cols, "dy", dy, (long) rows * cols, "db", db, cols);
        SimdElementwise.biasBackward(dy, db, rows, cols, accumulate);
    }

    @Override public void reluForward(float[] x, float[] y, int n) {
        need("reluForward", n, "x", x, "y", y);
        SimdElementwise.reluForward(x, y, n);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        need("reluBackward", n, "y", y, "dy", dy);
        need("reluBackward", n, "dx", dx, "dx", dx);
        SimdElementwise.reluBackward(y, dy, dx, n, accumulate);
    }

    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        need("dropoutForward", n, "x", x, "y", y);
        SimdDropout.dropoutForward(x, y, n, p, seed, step, indexBase);
    }

    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        need("dropoutBackward", n, "dy", dy, "dx", dx);
        SimdDropout.dropoutBackward(dy, dx, n, p, seed, step, indexBase, accumulate);
    }

    @Override public void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        need("softmaxForward", rows, cols, "x", x, "y", y);
        SimdSoftmax.softmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                boolean accumulate) {
        need("softmaxBackward", rows, cols, "y", y, "dy", dy);
        need("softmaxBackward", rows, cols, "dx", dx, "dx", dx);
        SimdSoftmax.softmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override public void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        need("logSoftmaxForward", rows, cols, "x", x, "y", y);
        SimdSoftmax.logSoftmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                   boolean accumulate) {
        need("logSoftmaxBackward", rows, cols, "y", y, "dy", dy);
        need("logSoftmaxBackward", rows, cols, "dx", dx, "dx", dx);
        SimdSoftmax.logSoftmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override
    public double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        need("softmaxCrossEntropyHard", rows, cols, "logits", logits, "grad", grad == null ? logits : grad);
        if (labels.length < rows) {
            throw new IllegalArgumentException("softmaxCrossEntropyHard: labels has " + labels.length + " entries, needs "
                    + rows + " (logits " + rows + "×" + cols + ")");
        }
        return SimdSoftmax.softmaxCrossEntropyHard(logits, labels, grad, rows, cols, temperature, gradScale);
    }

    @Override
    public double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        need("softmaxCrossEntropySoft", rows, cols, "logits", logits, "targets", targets);
        if (grad != null) need("softmaxCrossEntropySoft", rows, cols, "grad", grad, "grad", grad);
        return SimdSoftmax.softmaxCrossEntropySoft(logits, targets, grad, rows, cols, temperature, gradScale);
    }

    @Override public void axpy(int n, float a, float[] x, float[] y) {
        need("axpy", n, "x", x, "y", y);
        SimdElementwise.axpy(n, a, x, y);
    }

    @Override public void scale(int n, float a, float[] x) {
        need("scale", n, "x", x, "x", x);
        SimdElementwise.scale(n, a, x);
    }

    @Override public double sum(float[] x, int n) {
        need("sum", n, "x", x, "x", x);
        return SimdElementwise.sum(x, n);
    }

    @Override public double sumOfSquares(float[] x, int n) {
        need("sumOfSquares", n, "x", x, "x", x);
        return SimdElementwise.sumOfSquares(x, n);
    }

    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov) {
        need("sgdUpdate", n, "w", w, "g", g);
        if (v != null) need("sgdUpdate", n, "v", v, "v", v);
        SimdOptim.sgdUpdate(n, w, g, v, lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                           float eps, float weightDecay, long t) {
        need("adamUpdate", n, "w", w, "g", g);
        need("adamUpdate", n, "m", m, "v", v);
        SimdOptim.adamUpdate(n, w, g, m, v, lr, beta1, beta2, eps, weightDecay, t);
    }

    @Override public void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        need("maxNormRows", rows, cols, "w", w, "w", w);
        SimdOptim.maxNormRows(w, rows, cols, maxNorm);
    }

    // ---------------------------------------------------------------- argument checks (O(1) per call)

    /** Two arrays of n elements each. */
    private static void need(String op, int n, String an, float[] a, String bn, float[] b) {
        if (n < 0) throw new IllegalArgumentException(op + ": negative size n=" + n);
        if (a.length < n || b.length < n) {
            throw new IllegalArgumentException(op + ": n=" + n + " but " + an + " has " + a.length + " and " + bn
                    + " has " + b.length + " elements");
        }
    }

    /** Two arrays of rows × cols each. */
    private static void need(String op, int rows, int cols, String an, float[] a, String bn, float[] b) {
        need(op, rows, cols, an, a, (long) rows * cols, bn, b, (long) rows * cols);
    }

    private static void need(String op, int rows, int cols, String an, float[] a, long aLen, String bn, float[] b,
                             long bLen) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative shape " + rows + "×" + cols);
        if (a.length < aLen || b.length < bLen) {
            throw new IllegalArgumentException(op + " (" + rows + "×" + cols + "): " + an + " has " + a.length
                    + " elements (needs " + aLen + "), " + bn + " has " + b.length + " (needs " + bLen + ")");
        }
    }
}
