package distill4j.cuda.softmax;

import static distill4j.cuda.CudaLaunch.requireFloats;
import static distill4j.cuda.CudaLaunch.arg;

import distill4j.cuda.CudaDevice;
import distill4j.cuda.CudaLaunch;
import distill4j.cuda.DeviceBuffer;
import distill4j.cuda.HostStaging;
import distill4j.kernels.Checks;
import distill4j.kernels.softmax.SoftmaxKernels;
import jcuda.driver.CUfunction;

/**
 * Softmax with temperature, log-softmax, and the fused softmax + cross-entropy on device buffers:
 * one block per row, warp-shuffle reductions, each row shifted by its max (as ScalarSoftmax). On
 * device buffers, and through a {@link HostStaging} as the family's {@code float[]} interface.
 */
public final class CudaSoftmax implements SoftmaxKernels {
    private final CudaDevice device;
    private final HostStaging staging;
    private final CUfunction softmaxForward, softmaxBackward, logSoftmaxForward, logSoftmaxBackward, xentHard, xentSoft;

    public CudaSoftmax(CudaDevice device) {
        this(device, new HostStaging(device));
    }

    public CudaSoftmax(CudaDevice device, HostStaging staging) {
        this.device = device;
        this.staging = staging;
        softmaxForward = device.function("softmax_forward");
        softmaxBackward = device.function("softmax_backward");
        logSoftmaxForward = device.function("log_softmax_forward");
        logSoftmaxBackward = device.function("log_softmax_backward");
        xentHard = device.function("softmax_xent_hard");
        xentSoft = device.function("softmax_xent_soft");
    }

    static void checkShape(String op, int rows, int cols, float temperature) {
        if (rows < 0 || cols < 0) throw new IllegalArgumentException(op + ": negative shape (" + rows + ", " + cols + ")");
        Checks.temperature(op, temperature);
    }

    private void rowLaunch(CUfunction f, int rows, jcuda.Pointer... args) {
        CudaLaunch.launch(device, f, rows, 1, CudaLaunch.ROW_THREADS, args);
    }

    /** x (rows, cols) → y = softmax(x / T) per row; y may be x. */
    public void softmaxForward(DeviceBuffer x, DeviceBuffer y, int rows, int cols, float temperature) {
        checkShape("softmaxForward", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("softmaxForward x", x, n);
        requireFloats("softmaxForward y", y, n);
        if (n == 0) return;
        rowLaunch(softmaxForward, rows, arg(x), arg(y), arg(rows), arg(cols), arg(1f / temperature));
    }

    /** y = softmax output, dy (rows, cols) → dx (+)= y ⊙ (dy − Σ dy·y) / T. */
    public void softmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols,
                                float temperature, boolean accumulate) {
        checkShape("softmaxBackward", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("softmaxBackward y", y, n);
        requireFloats("softmaxBackward dy", dy, n);
        requireFloats("softmaxBackward dx", dx, n);
        if (n == 0) return;
        rowLaunch(softmaxBackward, rows, arg(y), arg(dy), arg(dx), arg(rows), arg(cols), arg(1f / temperature),
                arg(accumulate));
    }

    /** x (rows, cols) → y = log_softmax(x / T) per row; y may be x. */
    public void logSoftmaxForward(DeviceBuffer x, DeviceBuffer y, int rows, int cols, float temperature) {
        checkShape("logSoftmaxForward", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("logSoftmaxForward x", x, n);
        requireFloats("logSoftmaxForward y", y, n);
        if (n == 0) return;
        rowLaunch(logSoftmaxForward, rows, arg(x), arg(y), arg(rows), arg(cols), arg(1f / temperature));
    }

    /** y = log-softmax output, dy → dx (+)= (dy − exp(y) Σ dy) / T. */
    public void logSoftmaxBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, int rows, int cols,
                                   float temperature, boolean accumulate) {
        checkShape("logSoftmaxBackward", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("logSoftmaxBackward y", y, n);
        requireFloats("logSoftmaxBackward dy", dy, n);
        requireFloats("logSoftmaxBackward dx", dx, n);
        if (n == 0) return;
        rowLaunch(logSoftmaxBackward, rows, arg(y), arg(dy), arg(dx), arg(rows), arg(cols), arg(1f / temperature),
                arg(accumulate));
    }

    /**
     * Fused softmax(z / T) + cross-entropy against hard labels: rowLoss (rows, float64) = −log q_label;
     * grad (rows, cols) = gradScale · (1/T) · (q − onehot) when grad is not null. Labels must lie in
     * [0, cols) (a row with a label outside gets a NaN loss; the {@code int[]} form checks them first).
     */
    public void crossEntropyHard(DeviceBuffer logits, DeviceBuffer labels, DeviceBuffer grad, DeviceBuffer rowLoss,
                                 int rows, int cols, float temperature, float gradScale) {
        checkShape("softmaxCrossEntropyHard", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("softmaxCrossEntropyHard logits", logits, n);
        requireFloats("softmaxCrossEntropyHard labels", labels, rows);
        if (grad != null) requireFloats("softmaxCrossEntropyHard grad", grad, n);
        if (rowLoss.bytes() < (long) rows * Double.BYTES) throw new IllegalArgumentException("softmaxCrossEntropyHard: rowLoss holds fewer than " + rows + " doubles");
        if (rows == 0) return;
        if (cols == 0) throw new IllegalArgumentException("softmaxCrossEntropyHard: " + rows + " rows of 0 classes");
        float invT = 1f / temperature;
        rowLaunch(xentHard, rows, arg(logits), arg(labels), arg(grad), arg(rowLoss), arg(rows), arg(cols), arg(invT),
                arg(gradScale * invT), arg(grad != null));
    }

    /**
     * Fused softmax(z / T) + cross-entropy against soft targets p (rows, cols): rowLoss (rows, float64)
     * = −Σ_j p_j log q_j; grad = gradScale · (1/T) · (q − p) when grad is not null.
     */
    public void crossEntropySoft(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer grad, DeviceBuffer rowLoss,
                                 int rows, int cols, float temperature, float gradScale) {
        checkShape("softmaxCrossEntropySoft", rows, cols, temperature);
        long n = (long) rows * cols;
        requireFloats("softmaxCrossEntropySoft logits", logits, n);
        requireFloats("softmaxCrossEntropySoft targets", targets, n);
        if (grad != null) requireFloats("softmaxCrossEntropySoft grad", grad, n);
        if (rowLoss.bytes() < (long) rows * Double.BYTES) throw new IllegalArgumentException("softmaxCrossEntropySoft: rowLoss holds fewer than " + rows + " doubles");
        if (rows == 0) return;
        if (cols == 0) throw new IllegalArgumentException("softmaxCrossEntropySoft: " + rows + " rows of 0 classes");
        float invT = 1f / temperature;
        rowLaunch(xentSoft, rows, arg(logits), arg(targets), arg(grad), arg(rowLoss), arg(rows), arg(cols), arg(invT),
                arg(gradScale * invT), arg(grad != null));
    }

    // ---------------------------------------------------------------- the family on host arrays

    @Override
    public void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        checkShape("softmaxForward", rows, cols, temperature);
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dx = staging.in("softmaxForward", "x", x, n);
            DeviceBuffer dy = staging.out("softmaxForward", "y", y, n);
            softmaxForward(dx, dy, rows, cols, temperature);
            dy.copyTo(y, (int) n);
        }
    }

    @Override
    public void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                boolean accumulate) {
        checkShape("softmaxBackward", rows, cols, temperature);
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dY = staging.in("softmaxBackward", "y", y, n);
            DeviceBuffer dDy = staging.in("softmaxBackward", "dy", dy, n);
            DeviceBuffer dDx = accumulate ? staging.in("softmaxBackward", "dx", dx, n) : staging.out("softmaxBackward", "dx", dx, n);
            softmaxBackward(dY, dDy, dDx, rows, cols, temperature, accumulate);
            dDx.copyTo(dx, (int) n);
        }
    }

    @Override
    public void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        checkShape("logSoftmaxForward", rows, cols, temperature);
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dx = staging.in("logSoftmaxForward", "x", x, n);
            DeviceBuffer dy = staging.out("logSoftmaxForward", "y", y, n);
            logSoftmaxForward(dx, dy, rows, cols, temperature);
            dy.copyTo(y, (int) n);
        }
    }

    @Override
    public void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                   boolean accumulate) {
        checkShape("logSoftmaxBackward", rows, cols, temperature);
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dY = staging.in("logSoftmaxBackward", "y", y, n);
            DeviceBuffer dDy = staging.in("logSoftmaxBackward", "dy", dy, n);
            DeviceBuffer dDx = accumulate ? staging.in("logSoftmaxBackward", "dx", dx, n)
                    : staging.out("logSoftmaxBackward", "dx", dx, n);
            logSoftmaxBackward(dY, dDy, dDx, rows, cols, temperature, accumulate);
            dDx.copyTo(dx, (int) n);
        }
    }

    @Override
    public double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        String op = "softmaxCrossEntropyHard";
        checkShape(op, rows, cols, temperature);
        if (labels == null) throw new IllegalArgumentException(op + ": labels is null");
        Checks.labels(op, labels, rows, cols);
        if (rows == 0) return 0.0;
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dz = staging.in(op, "logits", logits, n);
            DeviceBuffer dl = staging.in(op, "labels", labels, rows);
            DeviceBuffer dg = grad == null ? null : staging.out(op, "grad", grad, n);
            DeviceBuffer loss = staging.doubles(rows);
            crossEntropyHard(dz, dl, dg, loss, rows, cols, temperature, gradScale);
            if (grad != null) dg.copyTo(grad, (int) n);
            return HostStaging.sumInOrder(loss, rows);
        }
    }

    @Override
    public double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                          float temperature, float gradScale) {
        String op = "softmaxCrossEntropySoft";
        checkShape(op, rows, cols, temperature);
        if (rows == 0 || cols == 0) return 0.0;
        synchronized (staging) {
            staging.begin();
            long n = (long) rows * cols;
            DeviceBuffer dz = staging.in(op, "logits", logits, n);
            DeviceBuffer dp = staging.in(op, "targets", targets, n);
            DeviceBuffer dg = grad == null ? null : staging.out(op, "grad", grad, n);
            DeviceBuffer loss = staging.doubles(rows);
            crossEntropySoft(dz, dp, dg, loss, rows, cols, temperature, gradScale);
            if (grad != null) dg.copyTo(grad, (int) n);
            return HostStaging.sumInOrder(loss, rows);
        }
    }
}
