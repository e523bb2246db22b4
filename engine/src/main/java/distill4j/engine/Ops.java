package distill4j.engine;

import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
import distill4j.kernels.device.DeviceArray;
import distill4j.kernels.device.DeviceKernels;
import distill4j.kernels.gemm.GemmLayout;
import java.util.Arrays;
import java.util.List;

/**
 * Every differentiable operation of the engine: the forward computation and, right below it, its
 * backward rule. This is the one place where gradients are written by hand; losses, modules and the
 * distillation toolkit compose these.
 *
 * <p>Kernels come from {@link Backends#get()} (GEMM, bias, ReLU, dropout, softmax, fused softmax +
 * cross-entropy, axpy/scale/sum); the few element-wise operations the backend lacks are plain Java.
 *
 * <p>Backward rules receive the upstream gradient {@code dy} (same shape as the output) and
 * <em>accumulate</em> into the gradient buffers of the inputs that require one, so a tensor used
 * twice receives the sum of both contributions. No buffer is zeroed for that: the first rule of a
 * pass to write a gradient overwrites it (the kernels' {@code accumulate = false}; see
 * {@link Tensor#gradAccumulates()}), later ones add. Rules that write only part of a gradient, or
 * have no overwriting form, take {@link Tensor#gradBuffer()}, which holds zeros until written.
 *
 * <p>Device-resident tensors ({@link Tensor#toDevice}): the operations with a kernel on the device
 * (matmul, linear, add/sub, scale, relu, dropout, softmax, log-softmax, sum, mean, the fused losses,
 * reshape) run there when an input is on a device — the {@code xDevice} method below each — with the
 * same kernels' device forms ({@link DeviceKernels}); a host input is copied in for the call, reductions
 * and losses return a host scalar. The others read their device inputs on the host ({@link #onHost}).
 */
public final class Ops {
    private Ops() {}

    /** A backward rule: accumulates d loss / d input into the inputs' gradient buffers, given d loss / d output. */
    @FunctionalInterface
    interface Backward {
        void apply(float[] dy);
    }

    /** The device form of {@link Backward}: dy is the output's gradient on the device. */
    @FunctionalInterface
    interface DeviceBackward {
        void apply(DeviceArray dy);
    }

    /** The shape of a one-value result, shared (shape arrays are never written). */
    private static final int[] SCALAR_SHAPE = new int[0];

    private static Backend be() {
        return Backends.get();
    }

    // ------------------------------------------------------------------ arrays: pooled inside a Workspace scope

    /**
     * An array of length n for a result or a temporary, every element of which the caller writes
     * before reading: from the open {@link Workspace} (contents unspecified), else new.
     */
    private static float[] output(int n) {
        Workspace ws = Workspace.active();
        return ws == null ? new float[n] : ws.take(n);
    }

    /** A copy of x in an {@link #output} array. */
    private static float[] copyOf(float[] x) {
        float[] y = output(x.length);
        System.arraycopy(x, 0, y, 0, x.length);
        return y;
    }

    /** A one-element {@link #output} array holding v (a loss or a reduction). */
    private static float[] scalarOutput(float v) {
        float[] y = output(1);
        y[0] = v;
        return y;
    }

    /**
     * Wraps a forward result; records the graph when recording is on and some input requires a
     * gradient. Inside a {@link Workspace} scope the result's storage came from {@link #output}, so the
     * tensor is released with the scope.
     */
    private static Tensor result(String op, float[] y, int[] shape, Backward rule, Tensor... inputs) {
        Tensor out = new Tensor(y, shape, true); // shape: a new array or another tensor's (never written)
        if (record(out, op, inputs)) out.backwardRule = rule;
        return out;
    }

    /**
     * What every result shares, on the host or a device: adopted by the open {@link Workspace}, and, when
     * gradients are on and an input requires one, a node of the graph; returns whether it became one (the
     * caller then sets its backward rule).
     */
    private static boolean record(Tensor out, String op, Tensor[] inputs) {
        Workspace ws = Workspace.active();
        if (ws != null) ws.adopt(out, op);
        if (!Grad.isEnabled()) return false;
        for (Tensor in : inputs) {
            if (in != null && in.requiresGrad) {
                out.requiresGrad = true;
                out.op = op;
                out.inputs = inputs;
                return true;
            }
        }
        return false;
    }

    private static boolean wants(Tensor t) {
        return t != null && t.requiresGrad;
    }

    /**
     * x's gradient (n) += a · src; the first write of a pass copies and scales instead: round(a · src),
     * the same bits as adding it to zeros (but for −0), without filling the zeros first.
     */
    private static void addToGrad(Tensor x, int n, float a, float[] src) {
        boolean add = x.gradAccumulates();
        float[] g = x.gradForWrite();
        if (add) {
            be().elementwise().axpy(n, a, src, g);
        } else {
            System.arraycopy(src, 0, g, 0, n);
            if (a != 1f) be().elementwise().scale(n, a, g);
        }
    }

    // ------------------------------------------------------------------ device-resident operands

    // fixed-arity forms: the host path (every input on the host) allocates no varargs array per operation
    private static DeviceKernels deviceOf(String op, Tensor a) {
        return a == null || !a.isOnDevice() ? null : a.device();
    }

    private static DeviceKernels deviceOf(String op, Tensor a, Tensor b) {
        if ((a == null || !a.isOnDevice()) && (b == null || !b.isOnDevice())) return null;
        return deviceOfAll(op, a, b);
    }

    private static DeviceKernels deviceOf(String op, Tensor a, Tensor b, Tensor c) {
        if ((a == null || !a.isOnDevice()) && (b == null || !b.isOnDevice()) && (c == null || !c.isOnDevice())) return null;
        return deviceOfAll(op, a, b, c);
    }

    /** The device the operation runs on: that of its device inputs (all must share it), or null when all are on the host. */
    private static DeviceKernels deviceOfAll(String op, Tensor... inputs) {
        DeviceKernels k = null;
        for (Tensor t : inputs) {
            if (t == null || !t.isOnDevice()) continue;
            if (k == null) k = t.device();
            else if (k != t.device()) {
                throw new IllegalArgumentException(op + ": inputs on two devices (" + k.name() + ", " + t.device().name() + ")");
            }
        }
        return k;
    }

    /** Device memory for a result or a temporary, every element written before read: from the open {@link Workspace}, else new. */
    private static DeviceArray deviceOutput(DeviceKernels k, int n) {
        Workspace ws = Workspace.active();
        return ws == null ? k.allocate(n) : ws.takeDevice(k, n);
    }

    /**
     * An operand on the device: a device tensor's memory, or a copy of a host tensor (a batch, soft
     * targets: one host → device copy). A host tensor that needs a gradient is refused: its gradient
     * would have to come back every step (move it with {@link Tensor#toDevice} or {@code Module.toDevice}).
     */
    private static DeviceArray deviceIn(DeviceKernels k, String op, Tensor t) {
        if (t.isOnDevice()) return t.deviceStorage().array;
        if (Grad.isEnabled() && t.requiresGrad) {
            throw new IllegalArgumentException(op + ": a host tensor " + Shapes.str(t.shapeRef()) + " that requires a gradient "
                    + "meets device tensors on " + k.name() + "; move it to the device first (Module.toDevice / Tensor.toDevice)");
        }
        int n = t.numel();
        float[] host = t.data();
        DeviceArray a = deviceOutput(k, n);
        if (n > 0) k.upload(host, a, n);
        return a;
    }

    /** {@link #result} for a result on the device. */
    private static Tensor deviceResult(String op, DeviceStorage y, int[] shape, DeviceBackward rule, Tensor... inputs) {
        Tensor out = new Tensor(y, shape);
        if (record(out, op, inputs)) out.deviceRule = rule;
        return out;
    }

    private static Tensor deviceResult(String op, DeviceKernels k, DeviceArray y, int[] shape, DeviceBackward rule, Tensor... inputs) {
        return deviceResult(op, new DeviceStorage(k, y, Shapes.numel(shape)), shape, rule, inputs);
    }

    /**
     * An input of an operation without a device kernel: a device tensor's values on the host, outside
     * the graph (one copy); refused when it needs a gradient, which could not flow back. Host tensors
     * pass unchanged.
     */
    private static Tensor onHost(String op, Tensor t) {
        if (t == null || !t.isOnDevice()) return t;
        if (Grad.isEnabled() && t.requiresGrad) {
            throw new UnsupportedOperationException(op + ": no device kernel, and its input on " + t.device().name()
                    + " requires a gradient; use toHost() on the model or tensor, or compute it inside Grad.disabled()");
        }
        return t.toHost();
    }

    /** g (n) += c on the device (the backward pass of sum and mean). */
    private static void addConstantDevice(DeviceKernels k, Tensor x, float c) {
        int n = x.numel();
        DeviceArray tmp = deviceOutput(k, n);
        k.fill(n, c, tmp);
        k.axpy(n, 1f, tmp, x.gradDevice());
    }

    // ================================================================== linear algebra

    // a (m, k), b (k, n) -> y (m, n)
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw Shapes.mismatch("matmul", a, b, "expected (m, k) and (k, n)");
        }
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        DeviceKernels dk = deviceOf("matmul", a, b);
        if (dk != null) return matmulDevice(dk, a, b, m, n, k);
        float[] y = output(m * n);
        be().gemm().gemm(GemmLayout.NN, m, n, k, a.data(), b.data(), y, false);
        return result("matmul", y, new int[] {m, n}, dy -> {
            // da (m, k) += dy (m, n) · bᵀ          (b stored (k, n): layout NT)
            if (wants(a)) {
                boolean add = a.gradAccumulates();
                be().gemm().gemm(GemmLayout.NT, m, k, n, dy, b.data(), a.gradForWrite(), add);
            }
            // db (k, n) += aᵀ · dy                   (a stored (m, k): layout TN)
            if (wants(b)) {
                boolean add = b.gradAccumulates();
                be().gemm().gemm(GemmLayout.TN, k, n, m, a.data(), dy, b.gradForWrite(), add);
            }
        }, a, b);
    }

    // a (m, k), b (k, n) -> y (m, n), on the device
    private static Tensor matmulDevice(DeviceKernels dk, Tensor a, Tensor b, int m, int n, int k) {
        DeviceArray ad = deviceIn(dk, "matmul", a), bd = deviceIn(dk, "matmul", b);
        DeviceArray y = deviceOutput(dk, m * n);
        dk.gemm(GemmLayout.NN, m, n, k, ad, bd, y, false);
        return deviceResult("matmul", dk, y, new int[] {m, n}, dy -> {
            if (wants(a)) dk.gemm(GemmLayout.NT, m, k, n, dy, bd, a.gradDevice(), true);
            if (wants(b)) dk.gemm(GemmLayout.TN, k, n, m, ad, dy, b.gradDevice(), true);
        }, a, b);
    }

    // x (B, IN), w (OUT, IN), bias (OUT) or null -> y (B, OUT) = x · wᵀ + bias
    public static Tensor linear(Tensor x, Tensor w, Tensor bias) {
        if (x.rank() != 2 || w.rank() != 2 || x.dim(1) != w.dim(1)) {
            throw Shapes.mismatch("linear", x, w, "expected x (batch, in) and weight (out, in)");
        }
        int batch = x.dim(0), in = x.dim(1), out = w.dim(0);
        if (bias != null && (bias.rank() != 1 || bias.dim(0) != out)) {
            throw Shapes.mismatch("linear", w, bias, "expected weight (out, in) and bias (out,)");
        }
        DeviceKernels dk = deviceOf("linear", x, w, bias);
        if (dk != null) return linearDevice(dk, x, w, bias, batch, in, out);
        float[] y = output(batch * out);
        be().gemm().gemm(GemmLayout.NT, batch, out, in, x.data(), w.data(), y, false);
        if (bias != null) be().elementwise().biasAddForward(y, bias.data(), batch, out);
        return result("linear", y, new int[] {batch, out}, dy -> {
            // dx (B, IN) += dy (B, OUT) · w (OUT, IN)
            // (each the first write of its gradient in the pass overwrites: accumulate = false)
            if (wants(x)) {
                boolean add = x.gradAccumulates();
                be().gemm().gemm(GemmLayout.NN, batch, in, out, dy, w.data(), x.gradForWrite(), add);
            }
            // dw (OUT, IN) += dyᵀ · x
            if (wants(w)) {
                boolean add = w.gradAccumulates();
                be().gemm().gemm(GemmLayout.TN, out, in, batch, dy, x.data(), w.gradForWrite(), add);
            }
            // dbias (OUT) += Σ_batch dy
            if (wants(bias)) {
                boolean add = bias.gradAccumulates();
                be().elementwise().biasBackward(dy, bias.gradForWrite(), batch, out, add);
            }
        }, x, w, bias);
    }

    // x (B, IN), w (OUT, IN), bias (OUT) or null -> y (B, OUT), on the device: the same kernels and order as above
    private static Tensor linearDevice(DeviceKernels dk, Tensor x, Tensor w, Tensor bias, int batch, int in, int out) {
        DeviceArray xd = deviceIn(dk, "linear", x), wd = deviceIn(dk, "linear", w);
        DeviceArray bd = bias == null ? null : deviceIn(dk, "linear", bias);
        DeviceArray y = deviceOutput(dk, batch * out);
        dk.gemm(GemmLayout.NT, batch, out, in, xd, wd, y, false);
        if (bd != null) dk.biasAddForward(y, bd, batch, out);
        return deviceResult("linear", dk, y, new int[] {batch, out}, dy -> {
            if (wants(x)) dk.gemm(GemmLayout.NN, batch, in, out, dy, wd, x.gradDevice(), true);
            if (wants(w)) dk.gemm(GemmLayout.TN, out, in, batch, dy, xd, w.gradDevice(), true);
            if (wants(bias)) dk.biasBackward(dy, bias.gradDevice(), batch, out, true);
        }, x, w, bias);
    }

    // x (r, c) -> y (c, r), copied contiguously
    public static Tensor transpose(Tensor x0) {
        Tensor x = onHost("transpose", x0);
        Shapes.requireRank("transpose", "input", x, 2);
        int r = x.dim(0), c = x.dim(1);
        float[] y = output(r * c);
        float[] xd = x.data();
        for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) y[j * r + i] = xd[i * c + j];
        return result("transpose", y, new int[] {c, r}, dy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < r; i++) for (int j = 0; j < c; j++) gx[i * c + j] += dy[j * r + i];
        }, x);
    }

    // ================================================================== element-wise, with row broadcast

    private enum Broadcast { SAME, B_IS_ROW, A_IS_ROW }

    /** Equal shapes, or one operand a (cols,) vector and the other (..., cols): the vector is added to every row. */
    private static Broadcast broadcast(String op, Tensor a, Tensor b) {
        if (Arrays.equals(a.shapeRef(), b.shapeRef())) return Broadcast.SAME;
        if (b.rank() == 1 && a.rank() >= 2 && b.dim(0) == a.dim(-1)) return Broadcast.B_IS_ROW;
        if (a.rank() == 1 && b.rank() >= 2 && a.dim(0) == b.dim(-1)) return Broadcast.A_IS_ROW;
        throw Shapes.mismatch(op, a, b, "expected equal shapes, or a (cols,) vector with a (..., cols) tensor");
    }

    // a, b (same shape, or one a (cols) row broadcast) -> a + b
    public static Tensor add(Tensor a, Tensor b) {
        return addScaled("add", a, b, 1f);
    }

    // a, b (same shape, or one a (cols) row broadcast) -> a − b
    public static Tensor sub(Tensor a, Tensor b) {
        return addScaled("sub", a, b, -1f);
    }

    // y = a + beta · b
    private static Tensor addScaled(String op, Tensor a, Tensor b, float beta) {
        Broadcast kind = broadcast(op, a, b);
        Tensor big = kind == Broadcast.A_IS_ROW ? b : a;
        int n = big.numel(), rows = Shapes.rows(big.shapeRef()), cols = Shapes.cols(big.shapeRef());
        DeviceKernels dk = deviceOf(op, a, b);
        if (dk != null) return addScaledDevice(dk, op, a, b, beta, kind, big, n, rows, cols);
        float[] y;
        switch (kind) {
            case SAME:
                y = copyOf(a.data());
                be().elementwise().axpy(n, beta, b.data(), y);
                break;
            case B_IS_ROW:
                y = copyOf(a.data());
                be().elementwise().biasAddForward(y, scaledCopy(b.data(), beta), rows, cols);
                break;
            default: // A_IS_ROW
                y = scaledCopy(b.data(), beta);
                be().elementwise().biasAddForward(y, a.data(), rows, cols);
                break;
        }
        return result(op, y, big.shapeRef(), dy -> {
            if (wants(a)) {
                if (kind == Broadcast.A_IS_ROW) {
                    boolean add = a.gradAccumulates();
                    be().elementwise().biasBackward(dy, a.gradForWrite(), rows, cols, add);
                } else {
                    addToGrad(a, n, 1f, dy);
                }
            }
            if (wants(b)) {
                if (kind == Broadcast.B_IS_ROW) {
                    float[] colSums = output(cols); // overwritten: accumulate = false
                    be().elementwise().biasBackward(dy, colSums, rows, cols, false);
                    addToGrad(b, cols, beta, colSums);
                } else {
                    addToGrad(b, n, beta, dy);
                }
            }
        }, a, b);
    }

    // y = a + beta · b on the device, the same kernels as above
    private static Tensor addScaledDevice(DeviceKernels dk, String op, Tensor a, Tensor b, float beta, Broadcast kind,
                                          Tensor big, int n, int rows, int cols) {
        DeviceArray ad = deviceIn(dk, op, a), bd = deviceIn(dk, op, b);
        DeviceArray y;
        switch (kind) {
            case SAME:
                y = deviceOutput(dk, n);
                dk.copy(ad, y, n);
                dk.axpy(n, beta, bd, y);
                break;
            case B_IS_ROW:
                y = deviceOutput(dk, n);
                dk.copy(ad, y, n);
                dk.biasAddForward(y, scaledCopyDevice(dk, bd, cols, beta), rows, cols);
                break;
            default: // A_IS_ROW
                y = scaledCopyDevice(dk, bd, n, beta);
                dk.biasAddForward(y, ad, rows, cols);
                break;
        }
        return deviceResult(op, dk, y, big.shapeRef(), dy -> {
            if (wants(a)) {
                if (kind == Broadcast.A_IS_ROW) dk.biasBackward(dy, a.gradDevice(), rows, cols, true);
                else dk.axpy(n, 1f, dy, a.gradDevice());
            }
            if (wants(b)) {
                if (kind == Broadcast.B_IS_ROW) {
                    DeviceArray colSums = deviceOutput(dk, cols); // overwritten: accumulate = false
                    dk.biasBackward(dy, colSums, rows, cols, false);
                    dk.axpy(cols, beta, colSums, b.gradDevice());
                } else {
                    dk.axpy(n, beta, dy, b.gradDevice());
                }
            }
        }, a, b);
    }

    private static DeviceArray scaledCopyDevice(DeviceKernels dk, DeviceArray x, int n, float s) {
        DeviceArray y = deviceOutput(dk, n);
        dk.copy(x, y, n);
        if (s != 1f) dk.scale(n, s, y);
        return y;
    }

    private static float[] scaledCopy(float[] x, float s) {
        float[] y = copyOf(x);
        if (s != 1f) be().elementwise().scale(y.length, s, y);
        return y;
    }

    // a, b (same shape, or one a (cols) row broadcast) -> a ⊙ b
    public static Tensor mul(Tensor a0, Tensor b0) {
        Tensor a = onHost("mul", a0), b = onHost("mul", b0);
        Broadcast kind = broadcast("mul", a, b);
        Tensor big = kind == Broadcast.A_IS_ROW ? b : a;
        int n = big.numel(), cols = Shapes.cols(big.shapeRef());
        // index of the operands' element paired with big's element i
        int aMod = kind == Broadcast.A_IS_ROW ? cols : Integer.MAX_VALUE;
        int bMod = kind == Broadcast.B_IS_ROW ? cols : Integer.MAX_VALUE;
        float[] y = output(n);
        float[] ad = a.data(), bd = b.data();
        if (kind == Broadcast.SAME) {
            for (int i = 0; i < n; i++) y[i] = ad[i] * bd[i];
        } else {
            for (int i = 0; i < n; i++) y[i] = ad[i % aMod] * bd[i % bMod];
        }
        return result("mul", y, big.shapeRef(), dy -> {
            // da += dy ⊙ b, db += dy ⊙ a (summed over rows for the broadcast operand)
            if (kind == Broadcast.SAME) {
                if (wants(a)) {
                    float[] ga = a.gradBuffer();
                    for (int i = 0; i < n; i++) ga[i] += dy[i] * bd[i];
                }
                if (wants(b)) {
                    float[] gb = b.gradBuffer();
                    for (int i = 0; i < n; i++) gb[i] += dy[i] * ad[i];
                }
                return;
            }
            if (wants(a)) {
                float[] ga = a.gradBuffer();
                for (int i = 0; i < n; i++) ga[i % aMod] += dy[i] * bd[i % bMod];
            }
            if (wants(b)) {
                float[] gb = b.gradBuffer();
                for (int i = 0; i < n; i++) gb[i % bMod] += dy[i] * ad[i % aMod];
            }
        }, a, b);
    }

    // x (any) -> s · x
    public static Tensor scale(Tensor x, float s) {
        DeviceKernels dk = deviceOf("scale", x);
        if (dk != null) {
            int n = x.numel();
            DeviceArray y = deviceOutput(dk, n);
            dk.copy(deviceIn(dk, "scale", x), y, n);
            dk.scale(n, s, y);
            return deviceResult("scale", dk, y, x.shapeRef(), dy -> dk.axpy(n, s, dy, x.gradDevice()), x);
        }
        float[] y = copyOf(x.data());
        be().elementwise().scale(y.length, s, y);
        return result("scale", y, x.shapeRef(), dy -> addToGrad(x, dy.length, s, dy), x);
    }

    // x (any) -> x + s
    public static Tensor addScalar(Tensor x0, float s) {
        Tensor x = onHost("addScalar", x0);
        float[] y = copyOf(x.data());
        for (int i = 0; i < y.length; i++) y[i] += s;
        return result("addScalar", y, x.shapeRef(), dy -> addToGrad(x, dy.length, 1f, dy), x);
    }

    // x (any) -> max(x, 0)
    public static Tensor relu(Tensor x) {
        DeviceKernels dk = deviceOf("relu", x);
        if (dk != null) {
            int n = x.numel();
            DeviceArray y = deviceOutput(dk, n);
            dk.reluForward(deviceIn(dk, "relu", x), y, n);
            return deviceResult("relu", dk, y, x.shapeRef(), dy -> dk.reluBackward(y, dy, x.gradDevice(), n, true), x);
        }
        float[] y = output(x.numel());
        be().elementwise().reluForward(x.data(), y, y.length);
        // dx += dy · [y > 0]
        return result("relu", y, x.shapeRef(), dy -> {
            boolean add = x.gradAccumulates();
            be().elementwise().reluBackward(y, dy, x.gradForWrite(), y.length, add);
        }, x);
    }

    // x (any) -> exp(x)
    public static Tensor exp(Tensor x0) {
        Tensor x = onHost("exp", x0);
        float[] y = output(x.numel());
        float[] xd = x.data();
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.exp(xd[i]);
        return result("exp", y, x.shapeRef(), dy -> {
            // dx += dy · exp(x)
            float[] gx = x.gradBuffer();
            for (int i = 0; i < y.length; i++) gx[i] += dy[i] * y[i];
        }, x);
    }

    // x (any) -> log(x); log 0 = −∞ and log of a negative number is NaN, as in IEEE 754
    public static Tensor log(Tensor x0) {
        Tensor x = onHost("log", x0);
        float[] y = output(x.numel());
        float[] xd = x.data();
        for (int i = 0; i < y.length; i++) y[i] = (float) Math.log(xd[i]);
        return result("log", y, x.shapeRef(), dy -> {
            // dx += dy / x
            float[] gx = x.gradBuffer(), xs = x.data();
            for (int i = 0; i < y.length; i++) gx[i] += dy[i] / xs[i];
        }, x);
    }

    /**
     * Inverted dropout with a Philox mask: x (any) -> x · keep / (1 − p), keep a pure function of
     * (seed, step, element index), recomputed in the backward pass rather than stored.
     */
    public static Tensor dropout(Tensor x, float p, long seed, long step) {
        if (!(p >= 0f && p < 1f)) {
            throw new IllegalArgumentException("dropout: probability p must be in [0, 1), got " + p);
        }
        int n = x.numel();
        DeviceKernels dk = deviceOf("dropout", x);
        if (dk != null) {
            // the mask is recomputed from (seed, step) in the backward pass: nothing is stored, nothing crosses
            DeviceArray y = deviceOutput(dk, n);
            dk.dropoutForward(deviceIn(dk, "dropout", x), y, n, p, seed, step, 0L);
            return deviceResult("dropout", dk, y, x.shapeRef(),
                    dy -> dk.dropoutBackward(dy, x.gradDevice(), n, p, seed, step, 0L, true), x);
        }
        float[] y = output(n);
        be().dropout().dropoutForward(x.data(), y, n, p, seed, step, 0L);
        return result("dropout", y, x.shapeRef(), dy -> {
            boolean add = x.gradAccumulates();
            be().dropout().dropoutBackward(dy, x.gradForWrite(), n, p, seed, step, 0L, add);
        }, x);
    }

    // ================================================================== softmax with temperature

    // the one check of a temperature lives with the losses that take one
    static void checkTemperature(String op, float t) {
        distill4j.engine.loss.Losses.checkTemperature(op, t);
    }

    // x (rows, cols) -> y = softmax(x / T) per row (the last dimension)
    public static Tensor softmax(Tensor x, float temperature) {
        checkTemperature("softmax", temperature);
        requireRows("softmax", x);
        int rows = Shapes.rows(x.shapeRef()), cols = Shapes.cols(x.shapeRef());
        DeviceKernels dk = deviceOf("softmax", x);
        if (dk != null) {
            DeviceArray y = deviceOutput(dk, x.numel());
            dk.softmaxForward(deviceIn(dk, "softmax", x), y, rows, cols, temperature);
            return deviceResult("softmax", dk, y, x.shapeRef(),
                    dy -> dk.softmaxBackward(y, dy, x.gradDevice(), rows, cols, temperature, true), x);
        }
        float[] y = output(x.numel());
        be().softmax().softmaxForward(x.data(), y, rows, cols, temperature);
        // dx += y ⊙ (dy − <dy, y>) / T
        return result("softmax", y, x.shapeRef(), dy -> {
            boolean add = x.gradAccumulates();
            be().softmax().softmaxBackward(y, dy, x.gradForWrite(), rows, cols, temperature, add);
        }, x);
    }

    // x (rows, cols) -> y = log_softmax(x / T) per row
    public static Tensor logSoftmax(Tensor x, float temperature) {
        checkTemperature("logSoftmax", temperature);
        requireRows("logSoftmax", x);
        int rows = Shapes.rows(x.shapeRef()), cols = Shapes.cols(x.shapeRef());
        DeviceKernels dk = deviceOf("logSoftmax", x);
        if (dk != null) {
            DeviceArray y = deviceOutput(dk, x.numel());
            dk.logSoftmaxForward(deviceIn(dk, "logSoftmax", x), y, rows, cols, temperature);
            return deviceResult("logSoftmax", dk, y, x.shapeRef(),
                    dy -> dk.logSoftmaxBackward(y, dy, x.gradDevice(), rows, cols, temperature, true), x);
        }
        float[] y = output(x.numel());
        be().softmax().logSoftmaxForward(x.data(), y, rows, cols, temperature);
        // dx += (dy − softmax · Σ dy) / T
        return result("logSoftmax", y, x.shapeRef(), dy -> {
            boolean add = x.gradAccumulates();
            be().softmax().logSoftmaxBackward(y, dy, x.gradForWrite(), rows, cols, temperature, add);
        }, x);
    }

    private static void requireRows(String op, Tensor x) {
        if (x.rank() < 1 || Shapes.cols(x.shapeRef()) == 0) {
            throw new IllegalArgumentException(op + ": needs a tensor with at least one class in its last dimension, got shape "
                    + Shapes.str(x.shape()));
        }
    }

    // ================================================================== reductions

    // x (any) -> () = Σ x
    public static Tensor sum(Tensor x) {
        DeviceKernels dk = deviceOf("sum", x);
        if (dk != null) {
            float[] y = scalarOutput((float) dk.sum(deviceIn(dk, "sum", x), x.numel()));
            return result("sum", y, SCALAR_SHAPE, dy -> addConstantDevice(dk, x, dy[0]), x);
        }
        float[] y = scalarOutput((float) be().elementwise().sum(x.data(), x.numel()));
        return result("sum", y, SCALAR_SHAPE, dy -> addConstant(x, dy[0]), x);
    }

    // x (any) -> () = Σ x / numel
    public static Tensor mean(Tensor x) {
        int n = x.numel();
        if (n == 0) throw new IllegalArgumentException("mean: tensor of shape " + Shapes.str(x.shape()) + " is empty");
        DeviceKernels dk = deviceOf("mean", x);
        if (dk != null) {
            float[] y = scalarOutput((float) (dk.sum(deviceIn(dk, "mean", x), n) / n));
            return result("mean", y, SCALAR_SHAPE, dy -> addConstantDevice(dk, x, dy[0] / n), x);
        }
        float[] y = scalarOutput((float) (be().elementwise().sum(x.data(), n) / n));
        return result("mean", y, SCALAR_SHAPE, dy -> addConstant(x, dy[0] / n), x);
    }

    /** x's gradient += c in every element (written, not added, by the pass's first writer). */
    private static void addConstant(Tensor x, float c) {
        boolean add = x.gradAccumulates();
        float[] g = x.gradForWrite();
        if (add) for (int i = 0; i < g.length; i++) g[i] += c;
        else java.util.Arrays.fill(g, c);
    }

    // x (rows, cols) -> y (rows) = Σ_cols x; the last dimension is summed away
    public static Tensor sumRows(Tensor x0) {
        Tensor x = onHost("sumRows", x0);
        if (x.rank() < 1) throw new IllegalArgumentException("sumRows: needs rank ≥ 1, got a scalar");
        int rows = Shapes.rows(x.shapeRef()), cols = Shapes.cols(x.shapeRef());
        float[] y = output(rows), xd = x.data();
        for (int r = 0; r < rows; r++) {
            double s = 0;
            for (int j = 0; j < cols; j++) s += xd[r * cols + j];
            y[r] = (float) s;
        }
        int[] shape = Arrays.copyOf(x.shapeRef(), x.rank() - 1);
        return result("sumRows", y, shape, dy -> {
            float[] gx = x.gradBuffer();
            for (int r = 0; r < rows; r++) for (int j = 0; j < cols; j++) gx[r * cols + j] += dy[r];
        }, x);
    }

    /**
     * Cosine similarity of matching rows, with each norm clamped below at eps (PyTorch's convention):
     * a, b (rows, cols) -> y (rows) = a·b / (max(‖a‖, eps) · max(‖b‖, eps)).
     */
    public static Tensor cosineSimilarityRows(Tensor a0, Tensor b0, float eps) {
        Tensor a = onHost("cosineSimilarity", a0), b = onHost("cosineSimilarity", b0);
        if (a.rank() != 2 || !Arrays.equals(a.shapeRef(), b.shapeRef())) {
            throw Shapes.mismatch("cosineSimilarity", a, b, "expected two (rows, cols) tensors of the same shape");
        }
        int rows = a.dim(0), cols = a.dim(1);
        float[] y = output(rows);
        double[] na = new double[rows], nb = new double[rows];
        float[] ad = a.data(), bd = b.data();
        for (int r = 0; r < rows; r++) {
            double dot = 0, sa = 0, sb = 0;
            for (int j = 0; j < cols; j++) {
                double x = ad[r * cols + j], z = bd[r * cols + j];
                dot += x * z;
                sa += x * x;
                sb += z * z;
            }
            na[r] = Math.sqrt(sa);
            nb[r] = Math.sqrt(sb);
            y[r] = (float) (dot / (Math.max(na[r], eps) * Math.max(nb[r], eps)));
        }
        return result("cosineSimilarity", y, new int[] {rows}, dy -> {
            // ∂cos/∂a = b / (A·B) − cos · a / ‖a‖²  where A = max(‖a‖, eps) (the second term vanishes when clamped)
            for (int r = 0; r < rows; r++) {
                double denA = Math.max(na[r], eps), denB = Math.max(nb[r], eps);
                double inv = 1.0 / (denA * denB);
                double ca = na[r] > eps ? y[r] / (na[r] * na[r]) : 0.0;
                double cb = nb[r] > eps ? y[r] / (nb[r] * nb[r]) : 0.0;
                int o = r * cols;
                if (wants(a)) {
                    float[] g = a.gradBuffer();
                    for (int j = 0; j < cols; j++) g[o + j] += (float) (dy[r] * (bd[o + j] * inv - ca * ad[o + j]));
                }
                if (wants(b)) {
                    float[] g = b.gradBuffer();
                    for (int j = 0; j < cols; j++) g[o + j] += (float) (dy[r] * (ad[o + j] * inv - cb * bd[o + j]));
                }
            }
        }, a, b);
    }

    // ================================================================== fused softmax + cross-entropy

    /**
     * Fused softmax-with-temperature and cross-entropy against hard labels:
     * logits z (rows, cols), labels (rows) -> () = scale · Σ_rows −log softmax(z/T)_label.
     * Backward: dz += dy · scale · (1/T)(q − onehot), computed by the forward kernel.
     */
    public static Tensor softmaxCrossEntropyHard(Tensor logits, int[] labels, float temperature, float scale) {
        String op = "crossEntropy";
        checkTemperature(op, temperature);
        Shapes.requireRank(op, "logits", logits, 2);
        int rows = logits.dim(0), cols = logits.dim(1);
        if (labels.length != rows) {
            throw new IllegalArgumentException(op + ": " + labels.length + " labels for logits of shape "
                    + Shapes.str(logits.shape()) + " (one label per row expected)");
        }
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= cols) {
                throw new IllegalArgumentException(op + ": label " + labels[r] + " at row " + r + " is outside [0, "
                        + cols + ") for logits of shape " + Shapes.str(logits.shape()));
            }
        }
        boolean record = Grad.isEnabled() && logits.requiresGrad;
        DeviceKernels dk = deviceOf(op, logits);
        if (dk != null) {
            // the labels go in, the per-row losses come out; the gradient stays on the device
            DeviceArray grad = record ? deviceOutput(dk, logits.numel()) : null; // written by the kernel
            double loss = dk.softmaxCrossEntropyHard(deviceIn(dk, op, logits), labels, grad, rows, cols, temperature, scale);
            float[] y = scalarOutput((float) (scale * loss));
            return result(op, y, SCALAR_SHAPE, dy -> dk.axpy(logits.numel(), dy[0], grad, logits.gradDevice()), logits);
        }
        float[] grad = record ? output(logits.numel()) : null; // written by the kernel
        double loss = be().softmax().softmaxCrossEntropyHard(logits.data(), labels, grad, rows, cols, temperature, scale);
        float[] y = scalarOutput((float) (scale * loss));
        return result(op, y, SCALAR_SHAPE, dy -> addToGrad(logits, grad.length, dy[0], grad), logits);
    }

    /**
     * Fused softmax-with-temperature and cross-entropy against soft targets:
     * logits z (rows, cols), targets p (rows, cols) -> () = scale · Σ_rows −Σ_j p_j log softmax(z/T)_j.
     * Backward: dz += dy · scale · (1/T)(q − p). The targets are constants (a teacher's soft targets);
     * passing targets that require a gradient is an error rather than a silently dropped gradient.
     */
    public static Tensor softmaxCrossEntropySoft(Tensor logits, Tensor targets, float temperature, float scale) {
        String op = "softCrossEntropy";
        checkTemperature(op, temperature);
        Shapes.requireRank(op, "logits", logits, 2);
        if (!Arrays.equals(logits.shapeRef(), targets.shapeRef())) {
            throw Shapes.mismatch(op, logits, targets, "logits and target probabilities must have the same shape");
        }
        if (Grad.isEnabled() && targets.requiresGrad) {
            throw new IllegalArgumentException(op + ": the targets require a gradient, but soft targets are treated as "
                    + "constants; compute them inside Grad.disabled() or pass targets.detach()");
        }
        int rows = logits.dim(0), cols = logits.dim(1);
        boolean record = Grad.isEnabled() && logits.requiresGrad;
        DeviceKernels dk = deviceOf(op, logits, targets);
        if (dk != null) {
            // host targets (a batch's soft targets) go in; the per-row losses come out
            DeviceArray grad = record ? deviceOutput(dk, logits.numel()) : null; // written by the kernel
            double loss = dk.softmaxCrossEntropySoft(deviceIn(dk, op, logits), deviceIn(dk, op, targets), grad, rows, cols,
                    temperature, scale);
            float[] y = scalarOutput((float) (scale * loss));
            return result(op, y, SCALAR_SHAPE, dy -> dk.axpy(logits.numel(), dy[0], grad, logits.gradDevice()), logits);
        }
        float[] grad = record ? output(logits.numel()) : null; // written by the kernel
        double loss = be().softmax().softmaxCrossEntropySoft(logits.data(), targets.data(), grad, rows, cols, temperature, scale);
        float[] y = scalarOutput((float) (scale * loss));
        return result(op, y, SCALAR_SHAPE, dy -> addToGrad(logits, grad.length, dy[0], grad), logits);
    }

    // ================================================================== shape and batch operations

    // x (any) -> the same data seen with another shape (one dimension may be −1); shares storage
    public static Tensor reshape(Tensor x, int... newShape) {
        int[] shape = newShape.clone();
        int infer = -1, known = 1;
        for (int i = 0; i < shape.length; i++) {
            if (shape[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("reshape: more than one -1 in " + Arrays.toString(newShape));
                infer = i;
            } else if (shape[i] < 0) {
                throw new IllegalArgumentException("reshape: negative dimension in " + Arrays.toString(newShape));
            } else {
                known *= shape[i];
            }
        }
        if (infer >= 0 && known != 0 && x.numel() % known == 0) shape[infer] = x.numel() / known;
        if (infer >= 0 && shape[infer] == -1 || Shapes.numel(shape) != x.numel()) {
            throw new IllegalArgumentException("reshape: cannot view shape " + Shapes.str(x.shape()) + " ("
                    + x.numel() + " elements) as " + Arrays.toString(newShape));
        }
        // a view: released together with x (or never, when x's storage is not pooled)
        if (x.isOnDevice()) {
            DeviceKernels dk = x.device();
            return deviceResult("reshape", x.deviceStorage(), shape, dy -> dk.axpy(x.numel(), 1f, dy, x.gradDevice()), x)
                    .sharesStorageOf(x);
        }
        return result("reshape", x.data(), shape, dy -> addToGrad(x, dy.length, 1f, dy), x)
                .sharesStorageOf(x);
    }

    // x (n, ...) -> rows [from, to) along the first dimension, copied
    public static Tensor slice(Tensor x0, int from, int to) {
        Tensor x = onHost("slice", x0);
        if (x.rank() < 1) throw new IllegalArgumentException("slice: needs rank ≥ 1, got a scalar");
        if (from < 0 || to > x.dim(0) || from > to) {
            throw new IllegalArgumentException("slice: rows [" + from + ", " + to + ") outside [0, " + x.dim(0)
                    + "] for shape " + Shapes.str(x.shape()));
        }
        int row = x.dim(0) == 0 ? 0 : x.numel() / x.dim(0);
        float[] y = output((to - from) * row);
        System.arraycopy(x.data(), from * row, y, 0, y.length);
        int[] shape = x.shape();
        shape[0] = to - from;
        int offset = from * row;
        return result("slice", y, shape, dy -> {
            // kernels address arrays from index 0, so the rows' gradient is added here
            float[] gx = x.gradBuffer();
            for (int j = 0; j < dy.length; j++) gx[offset + j] += dy[j];
        }, x);
    }

    // x (n, ...), indices (m) -> the chosen rows (m, ...), copied (e.g. a mini-batch)
    public static Tensor gatherRows(Tensor x0, int[] indices) {
        Tensor x = onHost("rows", x0);
        if (x.rank() < 1) throw new IllegalArgumentException("rows: needs rank ≥ 1, got a scalar");
        int n = x.dim(0);
        int row = n == 0 ? 0 : x.numel() / n;
        float[] y = output(indices.length * row);
        for (int i = 0; i < indices.length; i++) {
            if (indices[i] < 0 || indices[i] >= n) {
                throw new IndexOutOfBoundsException("rows: index " + indices[i] + " at position " + i
                        + " is outside [0, " + n + ") for shape " + Shapes.str(x.shape()));
            }
            System.arraycopy(x.data(), indices[i] * row, y, i * row, row);
        }
        int[] shape = x.shape();
        shape[0] = indices.length;
        return result("rows", y, shape, dy -> {
            float[] gx = x.gradBuffer();
            for (int i = 0; i < indices.length; i++) {
                int o = indices[i] * row;
                for (int j = 0; j < row; j++) gx[o + j] += dy[i * row + j];
            }
        }, x);
    }

    // parts (n_i, ...) with equal trailing shape -> (Σ n_i, ...)
    public static Tensor cat(List<Tensor> parts0) {
        if (parts0.isEmpty()) throw new IllegalArgumentException("cat: no tensors given");
        List<Tensor> parts = parts0;
        for (Tensor p : parts0) {
            if (p.isOnDevice()) {
                Tensor[] host = new Tensor[parts0.size()];
                for (int i = 0; i < host.length; i++) host[i] = onHost("cat", parts0.get(i));
                parts = Arrays.asList(host);
                break;
            }
        }
        Tensor first = parts.get(0);
        if (first.rank() < 1) throw new IllegalArgumentException("cat: needs rank ≥ 1, got a scalar");
        int total = 0, n = 0;
        for (Tensor p : parts) {
            int[] s = p.shape(), f = first.shape();
            s[0] = 0;
            f[0] = 0;
            if (!Arrays.equals(s, f)) throw Shapes.mismatch("cat", first, p, "all dimensions but the first must be equal");
            total += p.dim(0);
            n += p.numel();
        }
        float[] y = output(n);
        int[] offsets = new int[parts.size()];
        int o = 0;
        for (int i = 0; i < parts.size(); i++) {
            offsets[i] = o;
            System.arraycopy(parts.get(i).data(), 0, y, o, parts.get(i).numel());
            o += parts.get(i).numel();
        }
        int[] shape = first.shape();
        shape[0] = total;
        Tensor[] inputs = parts.toArray(new Tensor[0]);
        return result("cat", y, shape, dy -> {
            for (int i = 0; i < inputs.length; i++) {
                if (!wants(inputs[i])) continue;
                float[] g = inputs[i].gradBuffer();
                for (int j = 0; j < g.length; j++) g[j] += dy[offsets[i] + j];
            }
        }, inputs);
    }
}
