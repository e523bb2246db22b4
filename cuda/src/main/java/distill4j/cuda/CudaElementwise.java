package distill4j.cuda;

import static distill4j.cuda.CudaGemm.requireFloats;
import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.gridFor;

import jcuda.Pointer;
import jcuda.driver.CUfunction;

/** Bias, ReLU, dropout (Philox4x32-10), axpy/scale and float64 sums on device buffers. */
public final class CudaElementwise {
    private final CudaDevice device;
    private final CUfunction biasAdd, biasBackward, reluForward, reluBackward, dropoutForward, dropoutBackward,
            axpy, scale, sumPartial;

    public CudaElementwise(CudaDevice device) {
        this.device = device;
        biasAdd = device.function("bias_add_forward");
        biasBackward = device.function("bias_backward");
        reluForward = device.function("relu_forward");
        reluBackward = device.function("relu_backward");
        dropoutForward = device.function("dropout_forward");
        dropoutBackward = device.function("dropout_backward");
        axpy = device.function("axpy_f32");
        scale = device.function("scale_f32");
        sumPartial = device.function("sum_partial_f32");
    }

    private void gridStride(CUfunction f, long work, Pointer... args) {
        CudaLaunch.launch(device, f, gridFor(work), 1, CudaLaunch.ELEMENTWISE_THREADS, args);
    }

    static void checkCount(String op, long n) {
        if (n < 0) throw new IllegalArgumentException(op + ": negative size " + n);
    }

    /** y (rows, cols) += bias (cols), in place. */
    public void biasAddForward(DeviceBuffer y, DeviceBuffer bias, int rows, int cols) {
        checkCount("biasAddForward rows", rows);
        checkCount("biasAddForward cols", cols);
        long n = (long) rows * cols;
        requireFloats("biasAddForward y", y, n);
        requireFloats("biasAddForward bias", bias, cols);
        if (n == 0) return;
        gridStride(biasAdd, n, arg(y), arg(bias), arg(rows), arg(cols));
    }

    /** db (cols) (+)= Σ_rows dy (rows, cols). */
    public void biasBackward(DeviceBuffer dy, DeviceBuffer db, int rows, int cols, boolean accumulate) {
        checkCount("biasBackward rows", rows);
        checkCount("biasBackward cols", cols);
        requireFloats("biasBackward dy", dy, (long) rows * cols);
        requireFloats("biasBackward db", db, cols);
        if (cols == 0) return;
        gridStride(biasBackward, cols, arg(dy), arg(db), arg(rows), arg(cols), arg(accumulate));
    }

    /** y (n) = max(x, 0); y may be x. */
    public void reluForward(DeviceBuffer x, DeviceBuffer y, int n) {
        checkCount("reluForward", n);
        requireFloats("reluForward x", x, n);
        requireFloats("reluForward y", y, n);
        if (n == 0) return;
        gridStride(reluForward, n, arg(x), arg(y), arg(n));
    }

    /** dx (n) (+)= dy · [y &gt; 0]; dx may be dy when not accumulating. */
    public void reluBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int n, boolean accumulate) {
        checkCount("reluBackward", n);
        requireFloats("reluBackward y", y, n);
        requireFloats("reluBackward dy", dy, n);
        requireFloats("reluBackward dx", dx, n);
        if (n == 0) return;
        gridStride(reluBackward, n, arg(y), arg(dy), arg(dx), arg(n), arg(accumulate));
    }

    static void checkDropoutP(float p) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout probability p must be in [0, 1), got " + p);
        }
    }

    static void checkIndexBase(String op, long indexBase, int n) {
        if (indexBase < 0 || indexBase > Long.MAX_VALUE - n) {
            throw new IllegalArgumentException(op + ": indexBase " + indexBase + " + n " + n + " is outside [0, 2^63)");
        }
    }

    /** y (n) = x · keep / (1 − p), keep = Philox.keep(seed, step, indexBase + i, p); y may be x. */
    public void dropoutForward(DeviceBuffer x, DeviceBuffer y, int n, float p, long seed, long step, long indexBase) {
        checkDropoutP(p);
        checkCount("dropoutForward", n);
        checkIndexBase("dropoutForward", indexBase, n);
        requireFloats("dropoutForward x", x, n);
        requireFloats("dropoutForward y", y, n);
        if (n == 0) return;
        float scale = 1f / (1f - p);  // in float, exactly as the CPU backends
        gridStride(dropoutForward, (n + 7) / 4, arg(x), arg(y), arg(n), arg(p), arg(scale), arg(seed), arg(step),
                arg(indexBase));
    }

    /** dx (n) (+)= dy · keep / (1 − p), the forward call's mask. */
    public void dropoutBackward(DeviceBuffer dy, DeviceBuffer dx, int n, float p, long seed, long step,
                                long indexBase, boolean accumulate) {
        checkDropoutP(p);
        checkCount("dropoutBackward", n);
        checkIndexBase("dropoutBackward", indexBase, n);
        requireFloats("dropoutBackward dy", dy, n);
        requireFloats("dropoutBackward dx", dx, n);
        if (n == 0) return;
        float scale = 1f / (1f - p);
        gridStride(dropoutBackward, (n + 7) / 4, arg(dy), arg(dx), arg(n), arg(p), arg(scale), arg(seed), arg(step),
                arg(indexBase), arg(accumulate));
    }

    /** y (n) += a · x. */
    public void axpy(int n, float a, DeviceBuffer x, DeviceBuffer y) {
        checkCount("axpy", n);
        requireFloats("axpy x", x, n);
        requireFloats("axpy y", y, n);
        if (n == 0) return;
        gridStride(axpy, n, arg(n), arg(a), arg(x), arg(y));
    }

    /** x (n) *= a. */
    public void scale(int n, float a, DeviceBuffer x) {
        checkCount("scale", n);
        requireFloats("scale x", x, n);
        if (n == 0) return;
        gridStride(scale, n, arg(n), arg(a), arg(x));
    }

    /** Blocks (and so float64 partials) that {@link #sumPartials} writes for n elements. */
    public static int partialCount(long n) {
        return gridFor(n);
    }

    /**
     * partial (partialCount(n), float64) = per-block Σ x (squares false) or Σ x² (true); the caller adds
     * them in float64 (see {@link #sum}).
     */
    public void sumPartials(DeviceBuffer x, int n, boolean squares, DeviceBuffer partial) {
        checkCount("sum", n);
        requireFloats("sum x", x, n);
        if (partial.bytes() < (long) partialCount(n) * Double.BYTES) {
            throw new IllegalArgumentException("sum: the partials buffer holds fewer than " + partialCount(n) + " doubles");
        }
        gridStride(sumPartial, n, arg(x), arg(n), arg(squares), arg(partial));
    }

    /** Σ x (n) or Σ x², float64; {@code partial} is scratch of at least partialCount(n) doubles. */
    public double sum(DeviceBuffer x, int n, boolean squares, DeviceBuffer partial) {
        if (n == 0) return 0.0;
        sumPartials(x, n, squares, partial);
        int blocks = partialCount(n);
        double[] host = new double[blocks];
        partial.copyTo(host, blocks);
        double s = 0;
        for (double v : host) s += v;
        return s;
    }
}
