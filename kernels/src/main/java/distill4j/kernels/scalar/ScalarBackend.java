package distill4j.kernels.scalar;

import distill4j.kernels.Backend;
import distill4j.kernels.GemmLayout;

/**
 * The reference backend: plain, readable Java, one class per kernel family ({@link ScalarGemm},
 * {@link ScalarSoftmax}, {@link ScalarElementwise}, {@link ScalarOptim}). It is the fallback when no
 * faster backend can run, and the oracle every faster backend is tested against.
 */
public final class ScalarBackend implements Backend {
    @Override public String name() { return "scalar"; }

    @Override
    public void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c, boolean accumulate) {
        ScalarGemm.gemmF32(layout, m, n, k, a, b, c, accumulate);
    }

    @Override public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        ScalarElementwise.biasAddForward(y, bias, rows, cols);
    }

    @Override public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        ScalarElementwise.biasBackward(dy, db, rows, cols, accumulate);
    }

    @Override public void reluForward(float[] x, float[] y, int n) {
        ScalarElementwise.reluForward(x, y, n);
    }

    @Override public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        ScalarElementwise.reluBackward(y, dy, dx, n, accumulate);
    }

    @Override
    public void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        ScalarElementwise.dropoutForward(x, y, n, p, seed, step, indexBase);
    }

    @Override
    public void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step, long indexBase,
                                boolean accumulate) {
        ScalarElementwise.dropoutBackward(dy, dx, n, p, seed, step, indexBase, accumulate);
    }

    @Override public void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        ScalarSoftmax.softmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                boolean accumulate) {
        ScalarSoftmax.softmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override public void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        ScalarSoftmax.logSoftmaxForward(x, y, rows, cols, temperature);
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                   boolean accumulate) {
        ScalarSoftmax.logSoftmaxBackward(y, dy, dx, rows, cols, temperature, accumulate);
    }

    @Override
    public double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        return ScalarSoftmax.softmaxCrossEntropyHard(logits, labels, grad, rows, cols, temperature, gradScale);
    }

    @Override
    public double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        return ScalarSoftmax.softmaxCrossEntropySoft(logits, targets, grad, rows, cols, temperature, gradScale);
    }

    @Override public void axpy(int n, float a, float[] x, float[] y) { ScalarElementwise.axpy(n, a, x, y); }

    @Override public void scale(int n, float a, float[] x) { ScalarElementwise.scale(n, a, x); }

    @Override public double sum(float[] x, int n) { return ScalarElementwise.sum(x, n); }

    @Override public double sumOfSquares(float[] x, int n) { return ScalarElementwise.sumOfSquares(x, n); }

    @Override
    public void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum, float dampening,
                          float weightDecay, boolean nesterov) {
        ScalarOptim.sgdUpdate(n, w, g, v, lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override
    public void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1, float beta2,
                           float eps, float weightDecay, long t) {
        ScalarOptim.adamUpdate(n, w, g, m, v, lr, beta1, beta2, eps, weightDecay, t);
    }

    @Override public void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        ScalarOptim.maxNormRows(w, rows, cols, maxNorm);
    }
}
