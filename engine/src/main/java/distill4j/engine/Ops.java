package distill4j.engine;

import distill4j.kernels.Backend;
import distill4j.kernels.Backends;
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
 * twice receives the sum of both contributions.
 */
public final class Ops {
    private Ops() {}

    /** A backward rule: accumulates d loss / d input into the inputs' gradient buffers, given d loss / d output. */
    @FunctionalInterface
    interface Backward {
        void apply(float[] dy);
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
        Workspace ws = Workspace.active();
        if (ws != null) ws.adopt(out, op);
        if (Grad.isEnabled()) {
            for (Tensor in : inputs) {
                if (in != null && in.requiresGrad) {
                    out.requiresGrad = true;
                    out.op = op;
                    out.inputs = inputs;
                    out.backwardRule = rule;
                    break;
                }
            }
        }
        return out;
    }

    private static boolean wants(Tensor t) {
        return t != null && t.requiresGrad;
    }

    // ================================================================== linear algebra

    // a (m, k), b (k, n) -> y (m, n)
    public static Tensor matmul(Tensor a, Tensor b) {
        if (a.rank() != 2 || b.rank() != 2 || a.dim(1) != b.dim(0)) {
            throw Shapes.mismatch("matmul", a, b, "expected (m, k) and (k, n)");
        }
        int m = a.dim(0), k = a.dim(1), n = b.dim(1);
        float[] y = output(m * n);
        be().gemm().gemm(GemmLayout.NN, m, n, k, a.data(), b.data(), y, false);
        return result("matmul", y, new int[] {m, n}, dy -> {
            // da (m, k) += dy (m, n) · bᵀ          (b stored (k, n): layout NT)
            if (wants(a)) be().gemm().gemm(GemmLayout.NT, m, k, n, dy, b.data(), a.gradBuffer(), true);
            // db (k, n) += aᵀ · dy                   (a stored (m, k): layout TN)
            if (wants(b)) be().gemm().gemm(GemmLayout.TN, k, n, m, a.data(), dy, b.gradBuffer(), true);
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
        float[] y = output(batch * out);
        be().gemm().gemm(GemmLayout.NT, batch, out, in, x.data(), w.data(), y, false);
        if (bias != null) be().elementwise().biasAddForward(y, bias.data(), batch, out);
        return result("linear", y, new int[] {batch, out}, dy -> {
            // dx (B, IN) += dy (B, OUT) · w (OUT, IN)
            if (wants(x)) be().gemm().gemm(GemmLayout.NN, batch, in, out, dy, w.data(), x.gradBuffer(), true);
            // dw (OUT, IN) += dyᵀ · x
            if (wants(w)) be().gemm().gemm(GemmLayout.TN, out, in, batch, dy, x.data(), w.gradBuffer(), true);
            // dbias (OUT) += Σ_batch dy
            if (wants(bias)) be().elementwise().biasBackward(dy, bias.gradBuffer(), batch, out, true);
        }, x, w, bias);
    }

    // x (r, c) -> y (c, r), copied contiguously
    public static Tensor transpose(Tensor x) {
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
                if (kind == Broadcast.A_IS_ROW) be().elementwise().biasBackward(dy, a.gradBuffer(), rows, cols, true);
                else be().elementwise().axpy(n, 1f, dy, a.gradBuffer());
            }
            if (wants(b)) {
                if (kind == Broadcast.B_IS_ROW) {
                    float[] colSums = output(cols); // overwritten: accumulate = false
                    be().elementwise().biasBackward(dy, colSums, rows, cols, false);
                    be().elementwise().axpy(cols, beta, colSums, b.gradBuffer());
                } else {
                    be().elementwise().axpy(n, beta, dy, b.gradBuffer());
                }
            }
        }, a, b);
    }

    private static float[] scaledCopy(float[] x, float s) {
        float[] y = copyOf(x);
        if (s != 1f) be().elementwise().scale(y.length, s, y);
        return y;
    }

    // a, b (same shape, or one a (cols) row broadcast) -> a ⊙ b
    public static Tensor mul(Tensor a, Tensor b) {
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
        float[] y = copyOf(x.data());
        be().elementwise().scale(y.length, s, y);
        return result("scale", y, x.shapeRef(), dy -> be().elementwise().axpy(dy.length, s, dy, x.gradBuffer()), x);
    }

    // x (any) -> x + s
    public static Tensor addScalar(Tensor x, float s) {
        float[] y = copyOf(x.data());
        for (int i = 0; i < y.length; i++) y[i] += s;
        return result("addScalar", y, x.shapeRef(), dy -> be().elementwise().axpy(dy.length, 1f, dy, x.gradBuffer()), x);
    }

    // x (any) -> max(x, 0)
    public static Tensor relu(Tensor x) {
        float[] y = output(x.numel());
        be().elementwise().reluForward(x.data(), y, y.length);
        // dx += dy · [y > 0]
        return result("relu", y, x.shapeRef(), dy -> be().elementwise().reluBackward(y, dy, x.gradBuffer(), y.length, true), x);
    }

    // x (any) -> exp(x)
    public static Tensor exp(Tensor x) {
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
    public static Tensor log(Tensor x) {
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
        float[] y = output(n);
        be().dropout().dropoutForward(x.data(), y, n, p, seed, step, 0L);
        return result("dropout", y, x.shapeRef(),
                dy -> be().dropout().dropoutBackward(dy, x.gradBuffer(), n, p, seed, step, 0L, true), x);
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
        float[] y = output(x.numel());
        be().softmax().softmaxForward(x.data(), y, rows, cols, temperature);
        // dx += y ⊙ (dy − <dy, y>) / T
        return result("softmax", y, x.shapeRef(),
                dy -> be().softmax().softmaxBackward(y, dy, x.gradBuffer(), rows, cols, temperature, true), x);
    }

    // x (rows, cols) -> y = log_softmax(x / T) per row
    public static Tensor logSoftmax(Tensor x, float temperature) {
        checkTemperature("logSoftmax", temperature);
        requireRows("logSoftmax", x);
        int rows = Shapes.rows(x.shapeRef()), cols = Shapes.cols(x.shapeRef());
        float[] y = output(x.numel());
        be().softmax().logSoftmaxForward(x.data(), y, rows, cols, temperature);
        // dx += (dy − softmax · Σ dy) / T
        return result("logSoftmax", y, x.shapeRef(),
                dy -> be().softmax().logSoftmaxBackward(y, dy, x.gradBuffer(), rows, cols, temperature, true), x);
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
        float[] y = scalarOutput((float) be().elementwise().sum(x.data(), x.numel()));
        return result("sum", y, SCALAR_SHAPE, dy -> addConstant(x.gradBuffer(), dy[0]), x);
    }

    // x (any) -> () = Σ x / numel
    public static Tensor mean(Tensor x) {
        int n = x.numel();
        if (n == 0) throw new IllegalArgumentException("mean: tensor of shape " + Shapes.str(x.shape()) + " is empty");
        float[] y = scalarOutput((float) (be().elementwise().sum(x.data(), n) / n));
        return result("mean", y, SCALAR_SHAPE, dy -> addConstant(x.gradBuffer(), dy[0] / n), x);
    }

    private static void addConstant(float[] g, float c) {
        for (int i = 0; i < g.length; i++) g[i] += c;
    }

    // x (rows, cols) -> y (rows) = Σ_cols x; the last dimension is summed away
    public static Tensor sumRows(Tensor x) {
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
    public static Tensor cosineSimilarityRows(Tensor a, Tensor b, float eps) {
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
        float[] grad = record ? output(logits.numel()) : null; // written by the kernel
        double loss = be().softmax().softmaxCrossEntropyHard(logits.data(), labels, grad, rows, cols, temperature, scale);
        float[] y = scalarOutput((float) (scale * loss));
        return result(op, y, SCALAR_SHAPE, dy -> be().elementwise().axpy(grad.length, dy[0], grad, logits.gradBuffer()), logits);
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
        float[] grad = record ? output(logits.numel()) : null; // written by the kernel
        double loss = be().softmax().softmaxCrossEntropySoft(logits.data(), targets.data(), grad, rows, cols, temperature, scale);
        float[] y = scalarOutput((float) (scale * loss));
        return result(op, y, SCALAR_SHAPE, dy -> be().elementwise().axpy(grad.length, dy[0], grad, logits.gradBuffer()), logits);
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
        return result("reshape", x.data(), shape, dy -> be().elementwise().axpy(dy.length, 1f, dy, x.gradBuffer()), x)
                .sharesStorageOf(x);
    }

    // x (n, ...) -> rows [from, to) along the first dimension, copied
    public static Tensor slice(Tensor x, int from, int to) {
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
    public static Tensor gatherRows(Tensor x, int[] indices) {
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
    public static Tensor cat(List<Tensor> parts) {
        if (parts.isEmpty()) throw new IllegalArgumentException("cat: no tensors given");
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
