package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * Softmax with temperature, log-softmax, and the fused softmax + cross-entropy (hard and soft
 * targets), vectorised. Same algorithm as {@code ScalarSoftmax}: per row a max pass, then a pass of
 * exp((z − max)/T) and its sum, then the output/gradient; the arguments of exp are ≤ 0 so nothing
 * overflows for |z| ≤ 1e4 and T ∈ [0.05, 100]. The fused kernels keep exp(·) in the gradient array
 * between passes and materialise nothing else. Sums of a row are float lanes, reduced into float64.
 *
 * <p>Every lane-sum is started inside {@code if (bound > 0)}: a vector that reaches the reduction
 * both from the loop and from a path that skips it (rows narrower than a vector) is a phi that C2
 * boxes, and the kernel then allocates on every call (measured: 120 bytes per row).
 *
 * <p>exp is {@link #exp(FloatVector)}, a range reduction to [−ln2/2, ln2/2] and a degree-7 Taylor
 * polynomial: within 2 ulp of the true value on normal results, 0 below e^−87.3, the same on every
 * JDK (VectorOperators.EXP is a slow Java fallback where the JIT has no SVML stub).
 */
final class SimdSoftmax {
    private SimdSoftmax() {}

    private static final float LOG2E = 1.44269504088896341f;
    // ln 2 split so that n·LN2_HI is exact for |n| ≤ 2^9 (Cody & Waite)
    private static final float LN2_HI = 0.693359375f;
    private static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer held in the low mantissa bits. */
    private static final float ROUND_MAGIC = 12582912f;
    private static final int ROUND_MAGIC_BITS = 0x4B400000;
    /** ln(FLT_MIN): below this e^x is subnormal; we return 0 there (an absolute error ≤ 1.2e−38). */
    private static final float EXP_LO = -87.33654f;
    private static final float EXP_HI = 88.0f;

    // x (LANES) -> e^x (LANES); x ≤ 88
    static FloatVector exp(FloatVector x) {
        FloatVector xc = x.max(EXP_LO).min(EXP_HI);
        FloatVector t = xc.fma(LOG2E, ROUND_MAGIC);      // n + magic, n = round(x·log2 e)
        FloatVector n = t.sub(ROUND_MAGIC);
        FloatVector r = n.fma(bc(-LN2_HI), xc);
        r = n.fma(bc(-LN2_LO), r);                          // r = x − n·ln2 ∈ [−0.35, 0.35]
        // e^r = Σ_{i ≤ 7} r^i / i!  (truncation error < 6e−9 relative)
        FloatVector p = r.fma(1f / 5040f, 1f / 720f);
        p = p.fma(r, bc(1f / 120f));
        p = p.fma(r, bc(1f / 24f));
        p = p.fma(r, bc(1f / 6f));
        p = p.fma(r, bc(0.5f));
        p = p.fma(r, bc(1f));
        p = p.fma(r, bc(1f));
        // 2^n from the exponent bits: (n + 127) << 23
        IntVector bits = t.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
        FloatVector y = p.mul(bits.reinterpretAsFloats());
        VectorMask<Float> under = x.compare(VectorOperators.LT, EXP_LO);
        return y.blend(0f, under);
    }

    private static FloatVector bc(float v) {
        return FloatVector.broadcast(F, v);
    }

    /** Scalar exp for row tails (float64 inside, like the reference). */
    private static float expTail(float x) {
        return (float) Math.exp(x);
    }

    // x (rows, cols) -> y (rows, cols) = softmax(x / T) per row; y may be x
    static void softmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        checkT("softmaxForward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            double sum = expShiftedInto(x, y, o, cols, max, invT);
            scaleRow(y, o, cols, (float) (1.0 / sum));
        }
    }

    // y = softmax output (rows, cols), dy (rows, cols) -> dx = y (dy − <dy, y>) / T
    static void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t, boolean accumulate) {
        checkT("softmaxBackward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = 0;
            double dotD = 0;
            if (bound > 0) { // no vector phi on the path that skips the loop: it would be boxed
                FloatVector acc = FloatVector.fromArray(F, dy, o).mul(FloatVector.fromArray(F, y, o));
                for (j = LANES; j < bound; j += LANES) {
                    acc = FloatVector.fromArray(F, dy, o + j).fma(FloatVector.fromArray(F, y, o + j), acc);
                }
                dotD = acc.reduceLanes(VectorOperators.ADD);
            }
            for (; j < cols; j++) dotD += (double) dy[o + j] * y[o + j];
            float dot = (float) dotD;
            j = 0;
            for (; j < bound; j += LANES) {
                FloatVector v = FloatVector.fromArray(F, dy, o + j).sub(dot).mul(FloatVector.fromArray(F, y, o + j)).mul(invT);
                if (accumulate) v = v.add(FloatVector.fromArray(F, dx, o + j));
                v.intoArray(dx, o + j);
            }
            for (; j < cols; j++) {
                float v = (float) (y[o + j] * (dy[o + j] - dotD) * invT);
                dx[o + j] = accumulate ? dx[o + j] + v : v;
            }
        }
    }

    // x (rows, cols) -> y = log_softmax(x / T) per row; y may be x
    static void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        checkT("logSoftmaxForward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            float logSum = logSumExpShifted(x, o, cols, max, invT);
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(F, x, o + j).sub(max).mul(invT).sub(logSum).intoArray(y, o + j);
            }
            for (; j < cols; j++) y[o + j] = (x[o + j] - max) * invT - logSum;
        }
    }

    // y = log-softmax output, dy -> dx = (dy − exp(y) Σ dy) / T
    static void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t, boolean accumulate) {
        checkT("logSoftmaxBackward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = 0;
            double sD = 0;
            if (bound > 0) {
                FloatVector acc = FloatVector.fromArray(F, dy, o);
                for (j = LANES; j < bound; j += LANES) acc = acc.add(FloatVector.fromArray(F, dy, o + j));
                sD = acc.reduceLanes(VectorOperators.ADD);
            }
            for (; j < cols; j++) sD += dy[o + j];
            float s = (float) sD;
            j = 0;
            for (; j < bound; j += LANES) {
                FloatVector q = exp(FloatVector.fromArray(F, y, o + j));
                FloatVector v = FloatVector.fromArray(F, dy, o + j).sub(q.mul(s)).mul(invT);
                if (accumulate) v = v.add(FloatVector.fromArray(F, dx, o + j));
                v.intoArray(dx, o + j);
            }
            for (; j < cols; j++) {
                float v = (float) ((dy[o + j] - Math.exp(y[o + j]) * sD) * invT);
                dx[o + j] = accumulate ? dx[o + j] + v : v;
            }
        }
    }

    // logits z (rows, cols), labels (rows) -> Σ_rows −log q_label, q = softmax(z / T);
    // grad (rows, cols) = gradScale · (1/T) · (q − onehot(label)) when grad != null
    static double softmaxCrossEntropyHard(float[] z, int[] labels, float[] grad, int rows, int cols, float t,
                                         float gradScale) {
        checkT("softmaxCrossEntropyHard", t);
        float invT = 1f / t;
        float g = gradScale * invT;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int label = labels[r];
            if (label < 0 || label >= cols) {
                throw new IllegalArgumentException("softmaxCrossEntropyHard: label " + label + " of row " + r
                        + " is outside [0, " + cols + ") (logits " + rows + "×" + cols + ")");
            }
            // pass 1: max
            float max = rowMax(z, o, cols);
            // pass 2: Σ exp((z − max)/T), keeping the exps in grad
            double sum = grad == null ? sumExpShifted(z, o, cols, max, invT) : expShiftedInto(z, grad, o, cols, max, invT);
            float logSum = (float) Math.log(sum);
            // −log q_label = log Σ exp((z − max)/T) − (z_label − max)/T
            loss += logSum - (z[o + label] - max) * invT;
            if (grad != null) {
                // pass 3: grad = g · (q − onehot), q = exp / sum
                scaleRow(grad, o, cols, (float) (g / sum));
                grad[o + label] -= g;
            }
        }
        return loss;
    }

    // logits z (rows, cols), targets p (rows, cols) -> Σ_rows −Σ_j p_j log q_j, q = softmax(z / T);
    // grad = gradScale · (1/T) · (q − p) when grad != null
    static double softmaxCrossEntropySoft(float[] z, float[] p, float[] grad, int rows, int cols, float t,
                                         float gradScale) {
        checkT("softmaxCrossEntropySoft", t);
        float invT = 1f / t;
        float g = gradScale * invT;
        int bound = F.loopBound(cols);
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            // pass 1: max
            float max = rowMax(z, o, cols);
            // pass 2: Σ exp((z − max)/T), keeping the exps in grad
            double sum = grad == null ? sumExpShifted(z, o, cols, max, invT) : expShiftedInto(z, grad, o, cols, max, invT);
            float logSum = (float) Math.log(sum);
            float qScale = (float) (1.0 / sum);
            // pass 3: loss −= p · log q, log q = (z − max)/T − logSum; grad = g (q − p).
            // p ≥ 0 and log q ≤ 0, so the lane sums have no cancellation.
            int j = 0;
            double rowLoss = 0;
            if (bound > 0) {
                FloatVector acc = FloatVector.zero(F);
                for (; j < bound; j += LANES) {
                    FloatVector pj = FloatVector.fromArray(F, p, o + j);
                    FloatVector logQ = FloatVector.fromArray(F, z, o + j).sub(max).mul(invT).sub(logSum);
                    acc = pj.fma(logQ, acc);
                    if (grad != null) {
                        FloatVector.fromArray(F, grad, o + j).mul(qScale).sub(pj).mul(g).intoArray(grad, o + j);
                    }
                }
                rowLoss = acc.reduceLanes(VectorOperators.ADD);
            }
            for (; j < cols; j++) {
                float logQ = (z[o + j] - max) * invT - logSum;
                if (p[o + j] != 0f) rowLoss += (double) p[o + j] * logQ;
                if (grad != null) grad[o + j] = g * (grad[o + j] * qScale - p[o + j]);
            }
            loss -= rowLoss;
        }
        return loss;
    }

    static float rowMax(float[] x, int o, int cols) {
        int bound = F.loopBound(cols);
        int j = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m = FloatVector.fromArray(F, x, o);
            for (j = LANES; j < bound; j += LANES) m = m.max(FloatVector.fromArray(F, x, o + j));
            max = m.reduceLanes(VectorOperators.MAX);
        }
        for (; j < cols; j++) max = Math.max(max, x[o + j]);
        return max;
    }

    /** Σ_j exp((x_j − max)·invT) over one row. */
    private static double sumExpShifted(float[] x, int o, int cols, float max, float invT) {
        int bound = F.loopBound(cols);
        int j = 0;
        double sum = 0;
        if (bound > 0) {
            // one call site of exp, in the loop (no peeled first iteration): C2 then sees it as hot
            // and inlines it, so no vector is boxed
            FloatVector acc = FloatVector.zero(F);
            for (; j < bound; j += LANES) acc = acc.add(exp(FloatVector.fromArray(F, x, o + j).sub(max).mul(invT)));
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; j < cols; j++) sum += expTail((x[o + j] - max) * invT);
        return sum;
    }

    /** Writes exp((x_j − max)·invT) into e (same row offset) and returns their sum. */
    private static double expShiftedInto(float[] x, float[] e, int o, int cols, float max, float invT) {
        int bound = F.loopBound(cols);
        int j = 0;
        double sum = 0;
        if (bound > 0) {
            FloatVector acc = FloatVector.zero(F);
            for (; j < bound; j += LANES) {
                FloatVector v = exp(FloatVector.fromArray(F, x, o + j).sub(max).mul(invT));
                v.intoArray(e, o + j);
                acc = acc.add(v);
            }
            sum = acc.reduceLanes(VectorOperators.ADD);
        }
        for (; j < cols; j++) {
            float v = expTail((x[o + j] - max) * invT);
            e[o + j] = v;
            sum += v;
        }
        return sum;
    }

    private static float logSumExpShifted(float[] x, int o, int cols, float max, float invT) {
        return (float) Math.log(sumExpShifted(x, o, cols, max, invT));
    }

    private static void scaleRow(float[] y, int o, int cols, float s) {
        int bound = F.loopBound(cols);
        int j = 0;
        for (; j < bound; j += LANES) FloatVector.fromArray(F, y, o + j).mul(s).intoArray(y, o + j);
        for (; j < cols; j++) y[o + j] *= s;
    }

    private static void checkT(String op, float t) {
        if (!(t > 0f) || Float.isInfinite(t)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + t);
        }
    }
}
