package distill4j.cuda.elementwise;

import static distill4j.cuda.CudaLaunch.checkCount;
import static distill4j.cuda.CudaLaunch.requireFloats;
import static distill4j.cuda.CudaLaunch.arg;
import static distill4j.cuda.CudaLaunch.gridFor;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.CudaLaunch;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.HostStaging;
import distill4j.kernels.Checks;
import distill4j.kernels.elementwise.ElementwiseKernels;
import jcuda.Pointer;
import jcuda.driver.CUfunction;

/**
 * Bias, ReLU, axpy/scale and float64 sums: on device buffers, and through a {@link HostStaging} as the
 * family's {@code float[]} interface.
 */
public final class CudaElementwise implements ElementwiseKernels {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CUfunction biasAdd, biasBackward, reluForward, reluBackward, axpy, scale, sumPartial;

    public CudaElementwise(CudaDevice device) {
        this(device, new HostStaging(device));
    }

    public CudaElementwise(CudaDevice device, HostStaging staging) {
        this.device = device;
        this.staging = staging;
        biasAdd = device.function("bias_add_forward");
        biasBackward = device.function("bias_backward");
        reluForward = device.function("relu_forward");
        reluBackward = device.function("relu_backward");
        axpy = device.function("axpy_f32");
        scale = device.function("scale_f32");
        sumPartial = device.function("sum_partial_f32");
    }

    private void gridStride(CUfunction f, long work, Pointer... args) {
        CudaLaunch.launch(device, f, gridFor(work), 1, CudaLaunch.ELEMENTWISE_THREADS, args);
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

    /** y (n) = max(x, 0), NaN passed through; y may be x. */
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

    // ---------------------------------------------------------------- the family on host arrays

    @Override
    public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dy = staging.in("biasAddForward", "y", y, (long) rows * cols);
            DeviceBuffer dbias = staging.in("biasAddForward", "bias", bias, cols);
            biasAddForward(dy, dbias, rows, cols);
            dy.copyTo(y, rows * cols);
        }
    }

    @Override
    public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer ddy = staging.in("biasBackward", "dy", dy, (long) rows * cols);
            DeviceBuffer ddb = accumulate ? staging.in("biasBackward", "db", db, cols) : staging.out("biasBackward", "db", db, cols);
            biasBackward(ddy, ddb, rows, cols, accumulate);
            ddb.copyTo(db, cols);
        }
    }

    @Override
    public void reluForward(float[] x, float[] y, int n) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dx = staging.in("reluForward", "x", x, n);
            DeviceBuffer dy = staging.out("reluForward", "y", y, n);
            reluForward(dx, dy, n);
            dy.copyTo(y, n);
        }
    }

    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dY = staging.in("reluBackward", "y", y, n);
            DeviceBuffer dDy = staging.in("reluBackward", "dy", dy, n);
            DeviceBuffer dDx = accumulate ? staging.in("reluBackward", "dx", dx, n) : staging.out("reluBackward", "dx", dx, n);
            reluBackward(dY, dDy, dDx, n, accumulate);
            dDx.copyTo(dx, n);
        }
    }

    @Override
    public void axpy(int n, float a, float[] x, float[] y) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dx = staging.in("axpy", "x", x, n);
            DeviceBuffer dy = staging.in("axpy", "y", y, n);
            axpy(n, a, dx, dy);
            dy.copyTo(y, n);
        }
    }

    /**
     * On host arrays: a plain {@code Arrays.fill} on the host (a copy to the device and back would only
     * add traffic to a store-only pass). Checks as the other kernels.
     */
    @Override
    public void fill(int n, float value, float[] x) {
        distill4j.kernels.Checks.vectors("fill", n, "x", x, "x", x);
        java.util.Arrays.fill(x, 0, n, value);
    }

    @Override
    public void scale(int n, float a, float[] x) {
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dx = staging.in("scale", "x", x, n);
            scale(n, a, dx);
            dx.copyTo(x, n);
        }
    }

    @Override
    public double sum(float[] x, int n) {
        return reduce("sum", x, n, false);
    }

    @Override
    public double sumOfSquares(float[] x, int n) {
        return reduce("sumOfSquares", x, n, true);
    }

    private double reduce(String op, float[] x, int n, boolean squares) {
        checkCount(op, n);
        if (n == 0) return 0.0;
        synchronized (staging) {
            staging.begin();
            DeviceBuffer dx = staging.in(op, "x", x, n);
            DeviceBuffer partial = staging.doubles(partialCount(n));
            return sum(dx, n, squares, partial);
        }
    }
}
