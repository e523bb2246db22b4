package distill4j.cuda;

import distill4j.cuda.dropout.CudaDropout;
import distill4j.cuda.elementwise.CudaElementwise;
import distill4j.cuda.gemm.CudaGemm;
import distill4j.cuda.optim.CudaOptim;
import distill4j.cuda.softmax.CudaSoftmax;
import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import distill4j.kernels.gemm.GemmLayout;

/**
 * The engine's device seam ({@link DeviceKernels}) on the GPU: every method is the kernel family's
 * {@link DeviceBuffer} method ({@link CudaGemm#gemmF32}, ...), so a device-resident training step
 * launches the same kernels as the {@code float[]} families without their per-call copies. What
 * crosses: {@link #upload}/{@link #download}, the labels and per-row losses of the fused losses (added
 * on the host in row order, as the staged path does), the partial sums of {@link #sum}. Arrays come
 * from {@link #allocate}, freed by close() or once unreachable ({@link DeviceBuffer}).
 *
 * <p>Calls are not synchronised: one thread drives a training step.
 */
public final class CudaDeviceKernels implements DeviceKernels {
    private final CudaDevice device;
    private final CudaGemm gemm;
    private final CudaSoftmax softmax;
    private final CudaDropout dropout;
    private final CudaElementwise elementwise;
    private final CudaOptim optim;
    // scratch of the fused losses and sums, grown as needed
    private DeviceBuffer labels, rowLoss, partials;

    CudaDeviceKernels(CudaDevice device, CudaGemm gemm, CudaSoftmax softmax, CudaDropout dropout,
                      CudaElementwise elementwise, CudaOptim optim) {
        this.device = device;
        this.gemm = gemm;
        this.softmax = softmax;
        this.dropout = dropout;
        this.elementwise = elementwise;
        this.optim = optim;
    }

    private static DeviceBuffer b(DeviceArray a) {
        if (a == null) return null;
        if (!(a instanceof DeviceBuffer)) {
            throw new IllegalArgumentException("cuda: a device array of another device (" + a.getClass().getName() + ")");
        }
        return (DeviceBuffer) a;
    }

    private DeviceBuffer scratch(DeviceBuffer current, long bytes) {
        if (current != null && current.bytes() >= bytes) return current;
        if (current != null) current.close();
        return device.allocate(Math.max(bytes, current == null ? 0 : current.bytes() * 2));
    }

    @Override public String name() { return "cuda (" + device.name() + ")"; }

    public CudaDevice cudaDevice() { return device; }

    @Override public DeviceArray allocate(int n) {
        if (n < 0) throw new IllegalArgumentException("allocate: negative size " + n);
        return device.allocateFloats(n).freeWhenUnreachable();
    }

    @Override public void upload(float[] src, DeviceArray dst, int n) { b(dst).copyFrom(src, n); }

    @Override public void download(DeviceArray src, float[] dst, int n) { b(src).copyTo(dst, n); }

    @Override public void copy(DeviceArray src, DeviceArray dst, int n) { b(dst).copyFrom(b(src), n); }

    @Override public void gemm(GemmLayout layout, int m, int n, int k, DeviceArray a, DeviceArray bm, DeviceArray c, boolean accumulate) {
        gemm.gemmF32(layout, m, n, k, b(a), b(bm), b(c), accumulate);
    }

    @Override public void biasAddForward(DeviceArray y, DeviceArray bias, int rows, int cols) {
        elementwise.biasAddForward(b(y), b(bias), rows, cols);
    }

    @Override public void biasBackward(DeviceArray dy, DeviceArray db, int rows, int cols, boolean accumulate) {
        elementwise.biasBackward(b(dy), b(db), rows, cols, accumulate);
    }

    @Override public void reluForward(DeviceArray x, DeviceArray y, int n) { elementwise.reluForward(b(x), b(y), n); }

    @Override public void reluBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int n, boolean accumulate) {
        elementwise.reluBackward(b(y), b(dy), b(dx), n, accumulate);
    }

    @Override public void axpy(int n, float a, DeviceArray x, DeviceArray y) { elementwise.axpy(n, a, b(x), b(y)); }

    @Override public void scale(int n, float a, DeviceArray x) { elementwise.scale(n, a, b(x)); }

    @Override public void fill(int n, float value, DeviceArray x) { b(x).fill(n, value); }

    @Override public double sum(DeviceArray x, int n) {
        if (n == 0) return 0.0;
        partials = scratch(partials, (long) CudaElementwise.partialCount(n) * Double.BYTES);
        return elementwise.sum(b(x), n, false, partials);
    }

    @Override public void dropoutForward(DeviceArray x, DeviceArray y, int n, float p, long seed, long step, long indexBase) {
        dropout.dropoutForward(b(x), b(y), n, p, seed, step, indexBase);
    }

    @Override public void dropoutBackward(DeviceArray dy, DeviceArray dx, int n, float p, long seed, long step, long indexBase,
                                          boolean accumulate) {
        dropout.dropoutBackward(b(dy), b(dx), n, p, seed, step, indexBase, accumulate);
    }

    @Override public void softmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature) {
        softmax.softmaxForward(b(x), b(y), rows, cols, temperature);
    }

    @Override public void softmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                                          boolean accumulate) {
        softmax.softmaxBackward(b(y), b(dy), b(dx), rows, cols, temperature, accumulate);
    }

    @Override public void logSoftmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature) {
        softmax.logSoftmaxForward(b(x), b(y), rows, cols, temperature);
    }

    @Override public void logSoftmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                                             boolean accumulate) {
        softmax.logSoftmaxBackward(b(y), b(dy), b(dx), rows, cols, temperature, accumulate);
    }

    @Override public double softmaxCrossEntropyHard(DeviceArray logits, int[] labelsHost, DeviceArray grad, int rows, int cols,
                                                    float temperature, float gradScale) {
        if (rows == 0) return 0.0;
        distill4j.kernels.Checks.labels("softmaxCrossEntropyHard", labelsHost, rows, cols);
        labels = scratch(labels, (long) rows * Integer.BYTES);
        rowLoss = scratch(rowLoss, (long) rows * Double.BYTES);
        labels.copyFrom(labelsHost, rows);
        softmax.crossEntropyHard(b(logits), labels, b(grad), rowLoss, rows, cols, temperature, gradScale);
        return HostStaging.sumInOrder(rowLoss, rows);
    }

    @Override public double softmaxCrossEntropySoft(DeviceArray logits, DeviceArray targets, DeviceArray grad, int rows, int cols,
                                                    float temperature, float gradScale) {
        if (rows == 0 || cols == 0) return 0.0;
        rowLoss = scratch(rowLoss, (long) rows * Double.BYTES);
        softmax.crossEntropySoft(b(logits), b(targets), b(grad), rowLoss, rows, cols, temperature, gradScale);
        return HostStaging.sumInOrder(rowLoss, rows);
    }

    @Override public void sgdUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray v, float lr, float momentum, float dampening,
                                    float weightDecay, boolean nesterov) {
        if (v == null && momentum != 0f) {
            throw new IllegalArgumentException("sgdUpdate: momentum " + momentum + " needs a velocity buffer, but v is null");
        }
        optim.sgdUpdate(n, b(w), b(g), b(v), lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override public void adamUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray m, DeviceArray v, float lr, float beta1,
                                     float beta2, float eps, float weightDecay, long t) {
        optim.adamUpdate(n, b(w), b(g), b(m), b(v), lr, beta1, beta2, eps, weightDecay, t);
    }

    @Override public void maxNormRows(DeviceArray w, int rows, int cols, float maxNorm) {
        optim.maxNormRows(b(w), rows, cols, maxNorm);
    }
}
