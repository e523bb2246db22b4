package distill4j.cuda;

import distill4j.kernels.Backend;
import distill4j.kernels.GemmLayout;

/**
 * The {@link Backend} SPI on the GPU. The SPI works on host {@code float[]}, so every call copies its
 * operands into device scratch buffers, launches the kernels ({@link CudaGemm}, {@link CudaSoftmax},
 * {@link CudaElementwise}, {@link CudaOptim}) and copies the results back: correct, not fast. A training
 * step that stays on the device uses those classes directly on {@link DeviceBuffer}s.
 *
 * <p>Scratch buffers are kept and grown, not allocated per call. Arguments that are the same Java
 * array share one device buffer, which gives the SPI's in-place forms (y may be x, ...) their meaning.
 * Calls are serialised ({@code synchronized}): the scratch buffers are shared.
 */
public final class CudaBackend implements Backend {
    /** Reallocate scratch to the exact size of each call (tests: out-of-bounds reads then leave the allocation). */
    private static final boolean EXACT_SCRATCH = Boolean.getBoolean("distill4j.cuda.exactScratch");
    private static final int SLOTS = 6;

    private final CudaDevice device;
    private final CudaGemm gemm;
    private final CudaSoftmax softmax;
    private final CudaElementwise elementwise;
    private final CudaOptim optim;

    private final DeviceBuffer[] scratch = new DeviceBuffer[SLOTS];
    private final Object[] boundArray = new Object[SLOTS];
    private final DeviceBuffer[] boundBuffer = new DeviceBuffer[SLOTS];
    private int bound;

    public CudaBackend(CudaDevice device) {
        this.device = device;
        this.gemm = new CudaGemm(device);
        this.softmax = new CudaSoftmax(device);
        this.elementwise = new CudaElementwise(device);
        this.optim = new CudaOptim(device);
    }

    @Override public String name() { return "cuda"; }

    public CudaDevice device() { return device; }

    /** Frees the scratch buffers (they are allocated again on the next call). */
    public synchronized void releaseScratch() {
        for (int i = 0; i < SLOTS; i++) {
            if (scratch[i] != null) scratch[i].close();
            scratch[i] = null;
        }
    }

    // ---------------------------------------------------------------- host ↔ device plumbing

    private void begin() {
        bound = 0;
        device.makeCurrent();
    }

    private static void requireLength(String op, String name, int length, long n) {
        if (length < n) {
            throw new IllegalArgumentException(op + ": " + name + " has length " + length + " but the shape needs " + n);
        }
    }

    private DeviceBuffer alreadyBound(Object array) {
        for (int i = 0; i < bound; i++) if (boundArray[i] == array) return boundBuffer[i];
        return null;
    }

    private DeviceBuffer bindNew(Object array, long bytes) {
        int slot = bound;
        DeviceBuffer b = scratch[slot];
        long want = Math.max(bytes, 1);
        if (b == null || b.bytes() < want || (EXACT_SCRATCH && b.bytes() != want)) {
            if (b != null) b.close();
            // grow geometrically so that a sequence of growing calls reallocates O(log) times
            long size = EXACT_SCRATCH || b == null ? want : Math.max(want, b.bytes() + b.bytes() / 2);
            b = device.allocate(size);
            scratch[slot] = b;
        }
        boundArray[slot] = array;
        boundBuffer[slot] = b;
        bound++;
        return b;
    }

    /** A device copy of the first n floats of a (the same buffer if a was bound already in this call). */
    private DeviceBuffer in(String op, String name, float[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = alreadyBound(a);
        if (b != null) return b;
        b = bindNew(a, n * Float.BYTES);
        b.copyFrom(a, (int) n);
        return b;
    }

    private DeviceBuffer in(String op, String name, int[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = bindNew(a, n * Integer.BYTES);
        b.copyFrom(a, (int) n);
        return b;
    }

    /** A device buffer for an output that the kernel overwrites completely (no upload). */
    private DeviceBuffer out(String op, String name, float[] a, long n) {
        if (a == null) throw new IllegalArgumentException(op + ": " + name + " is null");
        requireLength(op, name, a.length, n);
        DeviceBuffer b = alreadyBound(a);
        return b != null ? b : bindNew(a, n * Float.BYTES);
    }

    private DeviceBuffer doubles(int n) {
        return bindNew(new Object(), (long) n * Double.BYTES);
    }

    // ---------------------------------------------------------------- GEMM

    @Override
    public synchronized void gemm(GemmLayout layout, int m, int n, int k, float[] a, float[] b, float[] c,
                                  boolean accumulate) {
        String op = "gemm " + layout + " (m=" + m + ", n=" + n + ", k=" + k + ")";
        if (m < 0 || n < 0 || k < 0) throw new IllegalArgumentException(op + ": negative size");
        if (c == a || c == b) throw new IllegalArgumentException(op + ": C must not alias A or B");
        begin();
        DeviceBuffer da = in(op, "A", a, (long) m * k);
        DeviceBuffer db = in(op, "B", b, (long) k * n);
        DeviceBuffer dc = accumulate ? in(op, "C", c, (long) m * n) : out(op, "C", c, (long) m * n);
        gemm.gemmF32(layout, m, n, k, da, db, dc, accumulate);
        dc.copyTo(c, m * n);
    }

    // ---------------------------------------------------------------- bias, ReLU

    @Override public synchronized void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        begin();
        DeviceBuffer dy = in("biasAddForward", "y", y, (long) rows * cols);
        DeviceBuffer dbias = in("biasAddForward", "bias", bias, cols);
        elementwise.biasAddForward(dy, dbias, rows, cols);
        dy.copyTo(y, rows * cols);
    }

    @Override public synchronized void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        begin();
        DeviceBuffer ddy = in("biasBackward", "dy", dy, (long) rows * cols);
        DeviceBuffer ddb = accumulate ? in("biasBackward", "db", db, cols) : out("biasBackward", "db", db, cols);
        elementwise.biasBackward(ddy, ddb, rows, cols, accumulate);
        ddb.copyTo(db, cols);
    }

    @Override public synchronized void reluForward(float[] x, float[] y, int n) {
        begin();
        DeviceBuffer dx = in("reluForward", "x", x, n);
        DeviceBuffer dy = out("reluForward", "y", y, n);
        elementwise.reluForward(dx, dy, n);
        dy.copyTo(y, n);
    }

    @Override public synchronized void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        begin();
        DeviceBuffer dY = in("reluBackward", "y", y, n);
        DeviceBuffer dDy = in("reluBackward", "dy", dy, n);
        DeviceBuffer dDx = accumulate ? in("reluBackward", "dx", dx, n) : out("reluBackward", "dx", dx, n);
        elementwise.reluBackward(dY, dDy, dDx, n, accumulate);
        dDx.copyTo(dx, n);
    }

    // ---------------------------------------------------------------- dropout

    @Override
    public synchronized void dropoutForward(float[] x, float[] y, int n, float p, long seed, long step, long indexBase) {
        CudaElementwise.checkDropoutP(p);
        begin();
        DeviceBuffer dx = in("dropoutForward", "x", x, n);
        DeviceBuffer dy = out("dropoutForward", "y", y, n);
        elementwise.dropoutForward(dx, dy, n, p, seed, step, indexBase);
        dy.copyTo(y, n);
    }

    @Override
    public synchronized void dropoutBackward(float[] dy, float[] dx, int n, float p, long seed, long step,
                                             long indexBase, boolean accumulate) {
        CudaElementwise.checkDropoutP(p);
        begin();
        DeviceBuffer dDy = in("dropoutBackward", "dy", dy, n);
        DeviceBuffer dDx = accumulate ? in("dropoutBackward", "dx", dx, n) : out("dropoutBackward", "dx", dx, n);
        elementwise.dropoutBackward(dDy, dDx, n, p, seed, step, indexBase, accumulate);
        dDx.copyTo(dx, n);
    }

    // ---------------------------------------------------------------- softmax family

    @Override public synchronized void softmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        CudaSoftmax.checkShape("softmaxForward", rows, cols, temperature);
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dx = in("softmaxForward", "x", x, n);
        DeviceBuffer dy = out("softmaxForward", "y", y, n);
        softmax.softmaxForward(dx, dy, rows, cols, temperature);
        dy.copyTo(y, (int) n);
    }

    @Override
    public synchronized void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float temperature,
                                             boolean accumulate) {
        CudaSoftmax.checkShape("softmaxBackward", rows, cols, temperature);
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dY = in("softmaxBackward", "y", y, n);
        DeviceBuffer dDy = in("softmaxBackward", "dy", dy, n);
        DeviceBuffer dDx = accumulate ? in("softmaxBackward", "dx", dx, n) : out("softmaxBackward", "dx", dx, n);
        softmax.softmaxBackward(dY, dDy, dDx, rows, cols, temperature, accumulate);
        dDx.copyTo(dx, (int) n);
    }

    @Override public synchronized void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float temperature) {
        CudaSoftmax.checkShape("logSoftmaxForward", rows, cols, temperature);
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dx = in("logSoftmaxForward", "x", x, n);
        DeviceBuffer dy = out("logSoftmaxForward", "y", y, n);
        softmax.logSoftmaxForward(dx, dy, rows, cols, temperature);
        dy.copyTo(y, (int) n);
    }

    @Override
    public synchronized void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols,
                                                float temperature, boolean accumulate) {
        CudaSoftmax.checkShape("logSoftmaxBackward", rows, cols, temperature);
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dY = in("logSoftmaxBackward", "y", y, n);
        DeviceBuffer dDy = in("logSoftmaxBackward", "dy", dy, n);
        DeviceBuffer dDx = accumulate ? in("logSoftmaxBackward", "dx", dx, n) : out("logSoftmaxBackward", "dx", dx, n);
        softmax.logSoftmaxBackward(dY, dDy, dDx, rows, cols, temperature, accumulate);
        dDx.copyTo(dx, (int) n);
    }

    // ---------------------------------------------------------------- fused softmax + cross-entropy

    @Override
    public synchronized double softmaxCrossEntropyHard(float[] logits, int[] labels, float[] grad, int rows, int cols,
                                                       float temperature, float gradScale) {
        String op = "softmaxCrossEntropyHard";
        CudaSoftmax.checkShape(op, rows, cols, temperature);
        if (labels == null) throw new IllegalArgumentException(op + ": labels is null");
        requireLength(op, "labels", labels.length, rows);
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= cols) {
                throw new IllegalArgumentException("label " + labels[r] + " of row " + r + " is outside [0, " + cols + ")");
            }
        }
        if (rows == 0) return 0.0;
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dz = in(op, "logits", logits, n);
        DeviceBuffer dl = in(op, "labels", labels, rows);
        DeviceBuffer dg = grad == null ? null : out(op, "grad", grad, n);
        DeviceBuffer loss = doubles(rows);
        softmax.crossEntropyHard(dz, dl, dg, loss, rows, cols, temperature, gradScale);
        if (grad != null) dg.copyTo(grad, (int) n);
        return sumRows(loss, rows);
    }

    @Override
    public synchronized double softmaxCrossEntropySoft(float[] logits, float[] targets, float[] grad, int rows, int cols,
                                                       float temperature, float gradScale) {
        String op = "softmaxCrossEntropySoft";
        CudaSoftmax.checkShape(op, rows, cols, temperature);
        if (rows == 0 || cols == 0) return 0.0;
        begin();
        long n = (long) rows * cols;
        DeviceBuffer dz = in(op, "logits", logits, n);
        DeviceBuffer dp = in(op, "targets", targets, n);
        DeviceBuffer dg = grad == null ? null : out(op, "grad", grad, n);
        DeviceBuffer loss = doubles(rows);
        softmax.crossEntropySoft(dz, dp, dg, loss, rows, cols, temperature, gradScale);
        if (grad != null) dg.copyTo(grad, (int) n);
        return sumRows(loss, rows);
    }

    /** Σ of the per-row losses in row order, in float64 (as the scalar reference adds them). */
    private static double sumRows(DeviceBuffer rowLoss, int rows) {
        double[] host = new double[rows];
        rowLoss.copyTo(host, rows);
        double s = 0;
        for (double v : host) s += v;
        return s;
    }

    // ---------------------------------------------------------------- elementwise and reductions

    @Override public synchronized void axpy(int n, float a, float[] x, float[] y) {
        begin();
        DeviceBuffer dx = in("axpy", "x", x, n);
        DeviceBuffer dy = in("axpy", "y", y, n);
        elementwise.axpy(n, a, dx, dy);
        dy.copyTo(y, n);
    }

    @Override public synchronized void scale(int n, float a, float[] x) {
        begin();
        DeviceBuffer dx = in("scale", "x", x, n);
        elementwise.scale(n, a, dx);
        dx.copyTo(x, n);
    }

    @Override public synchronized double sum(float[] x, int n) {
        return reduce("sum", x, n, false);
    }

    @Override public synchronized double sumOfSquares(float[] x, int n) {
        return reduce("sumOfSquares", x, n, true);
    }

    private double reduce(String op, float[] x, int n, boolean squares) {
        CudaElementwise.checkCount(op, n);
        if (n == 0) return 0.0;
        begin();
        DeviceBuffer dx = in(op, "x", x, n);
        DeviceBuffer partial = doubles(CudaElementwise.partialCount(n));
        return elementwise.sum(dx, n, squares, partial);
    }

    // ---------------------------------------------------------------- optimizer updates

    @Override
    public synchronized void sgdUpdate(int n, float[] w, float[] g, float[] v, float lr, float momentum,
                                       float dampening, float weightDecay, boolean nesterov) {
        begin();
        DeviceBuffer dw = in("sgdUpdate", "w", w, n);
        DeviceBuffer dg = in("sgdUpdate", "g", g, n);
        DeviceBuffer dv = v == null ? null : in("sgdUpdate", "v", v, n);
        optim.sgdUpdate(n, dw, dg, dv, lr, momentum, dampening, weightDecay, nesterov);
        dw.copyTo(w, n);
        if (v != null) dv.copyTo(v, n);
    }

    @Override
    public synchronized void adamUpdate(int n, float[] w, float[] g, float[] m, float[] v, float lr, float beta1,
                                        float beta2, float eps, float weightDecay, long t) {
        begin();
        DeviceBuffer dw = in("adamUpdate", "w", w, n);
        DeviceBuffer dg = in("adamUpdate", "g", g, n);
        DeviceBuffer dm = in("adamUpdate", "m", m, n);
        DeviceBuffer dv = in("adamUpdate", "v", v, n);
        optim.adamUpdate(n, dw, dg, dm, dv, lr, beta1, beta2, eps, weightDecay, t);
        dw.copyTo(w, n);
        dm.copyTo(m, n);
        dv.copyTo(v, n);
    }

    @Override public synchronized void maxNormRows(float[] w, int rows, int cols, float maxNorm) {
        begin();
        DeviceBuffer dw = in("maxNormRows", "w", w, (long) rows * cols);
        optim.maxNormRows(dw, rows, cols, maxNorm);
        dw.copyTo(w, rows * cols);
    }
}
