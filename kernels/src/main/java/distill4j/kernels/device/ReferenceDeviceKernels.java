package distill4j.kernels.device;

import distill4j.kernels.Backend;
import distill4j.kernels.gemm.GemmLayout;

/**
 * {@link DeviceKernels} on host memory: each {@link DeviceArray} is a {@code float[]} that only this
 * class reads, and each kernel is the given {@link Backend}'s {@code float[]} kernel. It counts
 * uploads and downloads as a real device would have to make them ({@link #transfers()}), so the
 * engine's device-resident path can be tested, and its copies counted, on any machine; with the same
 * backend it gives exactly that backend's numbers.
 */
public final class ReferenceDeviceKernels implements DeviceKernels {
    private final Backend backend;
    private final TransferCounter transfers = new TransferCounter();

    public ReferenceDeviceKernels(Backend backend) {
        this.backend = backend;
    }

    /** Host↔device copies made so far (labels and per-row losses of the fused losses included). */
    public TransferCounter transfers() {
        return transfers;
    }

    /** The memory of a {@link ReferenceDeviceKernels}. */
    static final class HostArray implements DeviceArray {
        float[] a;

        HostArray(int n) {
            a = new float[n];
        }

        @Override public long floats() { return a().length; }

        float[] a() {
            if (a == null) throw new IllegalStateException("DeviceArray used after close()");
            return a;
        }

        @Override public void close() { a = null; }
    }

    private static float[] h(DeviceArray x) {
        return x == null ? null : ((HostArray) x).a();
    }

    @Override public String name() { return "reference(" + backend.name() + ")"; }

    @Override public DeviceArray allocate(int n) {
        if (n < 0) throw new IllegalArgumentException("allocate: negative size " + n);
        HostArray x = new HostArray(n);
        java.util.Arrays.fill(x.a, Float.NaN); // unspecified contents: make reads of them visible
        return x;
    }

    @Override public void upload(float[] src, DeviceArray dst, int n) {
        System.arraycopy(src, 0, h(dst), 0, n);
        transfers.hostToDevice(4L * n);
    }

    @Override public void download(DeviceArray src, float[] dst, int n) {
        System.arraycopy(h(src), 0, dst, 0, n);
        transfers.deviceToHost(4L * n);
    }

    @Override public void copy(DeviceArray src, DeviceArray dst, int n) {
        System.arraycopy(h(src), 0, h(dst), 0, n);
    }

    @Override public void gemm(GemmLayout layout, int m, int n, int k, DeviceArray a, DeviceArray b, DeviceArray c, boolean accumulate) {
        backend.gemm().gemm(layout, m, n, k, h(a), h(b), h(c), accumulate);
    }

    @Override public void biasAddForward(DeviceArray y, DeviceArray bias, int rows, int cols) {
        backend.elementwise().biasAddForward(h(y), h(bias), rows, cols);
    }

    @Override public void biasBackward(DeviceArray dy, DeviceArray db, int rows, int cols, boolean accumulate) {
        backend.elementwise().biasBackward(h(dy), h(db), rows, cols, accumulate);
    }

    @Override public void reluForward(DeviceArray x, DeviceArray y, int n) {
        backend.elementwise().reluForward(h(x), h(y), n);
    }

    @Override public void reluBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int n, boolean accumulate) {
        backend.elementwise().reluBackward(h(y), h(dy), h(dx), n, accumulate);
    }

    @Override public void axpy(int n, float a, DeviceArray x, DeviceArray y) {
        backend.elementwise().axpy(n, a, h(x), h(y));
    }

    @Override public void scale(int n, float a, DeviceArray x) {
        backend.elementwise().scale(n, a, h(x));
    }

    @Override public void fill(int n, float value, DeviceArray x) {
        backend.elementwise().fill(n, value, h(x));
    }

    @Override public double sum(DeviceArray x, int n) {
        transfers.deviceToHost(Double.BYTES); // a device returns its partial sums; one copy
        return backend.elementwise().sum(h(x), n);
    }

    @Override public void dropoutForward(DeviceArray x, DeviceArray y, int n, float p, long seed, long step, long indexBase) {
        backend.dropout().dropoutForward(h(x), h(y), n, p, seed, step, indexBase);
    }

    @Override public void dropoutBackward(DeviceArray dy, DeviceArray dx, int n, float p, long seed, long step, long indexBase,
                                          boolean accumulate) {
        backend.dropout().dropoutBackward(h(dy), h(dx), n, p, seed, step, indexBase, accumulate);
    }

    @Override public void softmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature) {
        backend.softmax().softmaxForward(h(x), h(y), rows, cols, temperature);
    }

    @Override public void softmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                                          boolean accumulate) {
        backend.softmax().softmaxBackward(h(y), h(dy), h(dx), rows, cols, temperature, accumulate);
    }

    @Override public void logSoftmaxForward(DeviceArray x, DeviceArray y, int rows, int cols, float temperature) {
        backend.softmax().logSoftmaxForward(h(x), h(y), rows, cols, temperature);
    }

    @Override public void logSoftmaxBackward(DeviceArray y, DeviceArray dy, DeviceArray dx, int rows, int cols, float temperature,
                                             boolean accumulate) {
        backend.softmax().logSoftmaxBackward(h(y), h(dy), h(dx), rows, cols, temperature, accumulate);
    }

    @Override public double softmaxCrossEntropyHard(DeviceArray logits, int[] labels, DeviceArray grad, int rows, int cols,
                                                    float temperature, float gradScale) {
        transfers.hostToDevice((long) Integer.BYTES * rows);
        transfers.deviceToHost((long) Double.BYTES * rows);
        return backend.softmax().softmaxCrossEntropyHard(h(logits), labels, h(grad), rows, cols, temperature, gradScale);
    }

    @Override public double softmaxCrossEntropySoft(DeviceArray logits, DeviceArray targets, DeviceArray grad, int rows, int cols,
                                                    float temperature, float gradScale) {
        transfers.deviceToHost((long) Double.BYTES * rows);
        return backend.softmax().softmaxCrossEntropySoft(h(logits), h(targets), h(grad), rows, cols, temperature, gradScale);
    }

    @Override public void sgdUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray v, float lr, float momentum, float dampening,
                                    float weightDecay, boolean nesterov) {
        backend.optim().sgdUpdate(n, h(w), h(g), h(v), lr, momentum, dampening, weightDecay, nesterov);
    }

    @Override public void adamUpdate(int n, DeviceArray w, DeviceArray g, DeviceArray m, DeviceArray v, float lr, float beta1,
                                     float beta2, float eps, float weightDecay, long t) {
        backend.optim().adamUpdate(n, h(w), h(g), h(m), h(v), lr, beta1, beta2, eps, weightDecay, t);
    }

    @Override public void maxNormRows(DeviceArray w, int rows, int cols, float maxNorm) {
        backend.optim().maxNormRows(h(w), rows, cols, maxNorm);
    }
}
