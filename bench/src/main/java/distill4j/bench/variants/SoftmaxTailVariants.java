package distill4j.bench.variants;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.simd.LaneSums;
import distill4j.kernels.simd.SimdExp;
import distill4j.kernels.simd.SimdParams;
import distill4j.kernels.simd.SimdPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * A frozen copy of the SIMD softmax family as it was with its two tail switches, for
 * {@link SoftmaxTailBench} (the library's {@code distill4j.kernels.softmax.SoftmaxTailVariants} ships the
 * defaults: overlapped tails for short rows, scalar tails otherwise, no masked tails). The switches are
 * read once, at class initialisation, from {@code distill4j.softmax.maskedTails} (default false) and
 * {@code distill4j.softmax.overlapTails} (default true). One line each, what they changed and measured:
 * <ul>
 *   <li>scalar tails (both false): row tails of the max, scale and soft-target passes as a scalar loop.</li>
 *   <li>overlapped tails (the shipped one): rows of 16 to 127 floats end with one whole vector
 *       overlapping the previous. {@code bench/versions.sh} (JMH, same jar, true vs false): 4096×120 hard
 *       11.2 vs 12.1 GB/s on JDK 25 and 7.4 vs 6.1 on JDK 17, soft 16.2 vs 15.5 and 9.0 vs 10.1, no
 *       effect beyond the noise; at 128×1000 the overlapped loop was slower (hard 16.2 vs 20.9, soft
 *       20.2 vs 28.0 on JDK 25), hence the 8-vector limit.</li>
 *   <li>masked tails: one masked vector per row tail. Allocated in one of five JDK 25 runs of
 *       SimdAllocationTest (64 bytes per call, a {@code boolean[]} from
 *       {@code AbstractMask.checkIndexByLane}, found with JFR), and on every call on JDK 17; the scalar
 *       tails cost 5–25% at 128×10 (7.3 → 7.7 µs hard, 7.5 → 9.4 soft, JDK 25) and nothing measurable at
 *       4096×120.</li>
 * </ul>
 */
public final class SoftmaxTailVariants {
    private SoftmaxTailVariants() {}

    /**
     * Row tails of the max, scale and soft-target passes as one masked vector (true) or a scalar loop
     * (false, the default); the exp pass always ends with the scalar twin of exp. Off since v5: a masked
     * load that reaches past the end of the array (the last row's tail) leaves the Vector API's
     * intrinsic for a lane-by-lane check that allocates unless C2 happens to remove it, and it did not
     * in one of five JDK 25 runs of the kernel tests ({@code SimdAllocationTest}: 64 bytes per call of
     * the soft-target kernel, a {@code boolean[]} from {@code AbstractMask.checkIndexByLane}, found with
     * JFR). JDK 17 stores a masked vector lane by lane through a lambda, allocating on every call. The
     * scalar tails cost 5–25% at 128×10 (JMH {@code SoftmaxCrossEntropyBench}, JDK 25, 7.3 → 7.7 µs
     * hard, 7.5 → 9.4 soft, one fork each) and nothing measurable at 4096×120. Property
     * {@code distill4j.softmax.maskedTails=true} turns them back on, for measuring.
     */
    static final boolean MASKED_TAILS = Boolean.parseBoolean(System.getProperty("distill4j.softmax.maskedTails", "false"));

    /**
     * Overlapped tails (v4; the max, scale and soft-target passes since v5): a row of at least one
     * vector whose width is not a multiple of the vector ends with one whole vector at
     * {@code cols − LANES}, overlapping the previous one, instead of a scalar or masked tail. Its lanes already done (d = j − (cols − LANES) of them) are idempotent for
     * the max, weighted 0 in sums, and rewritten with the same values in stores (inputs pre-loaded
     * where the pass writes in place). No masked memory access, so JDK 17 gets it too. Property
     * {@code distill4j.softmax.overlapTails} (true/false) overrides, for measuring.
     */
    static final boolean OVERLAP_TAILS = Boolean.parseBoolean(System.getProperty("distill4j.softmax.overlapTails", "true"));

    /**
     * Overlapped tails only for rows narrower than this many floats (8 vectors: 128 at 512 bits). In v4
     * the overlapped exp loop indexed its vectors through min(j, cols − LANES) and loaded a weight vector
     * each step, which cost on every vector; it gained a little (near the noise) where the tail is a large
     * share of the row (4096×120) and lost on long rows (128×1000); the JMH figures are in RESULTS.md,
     * "Kernel versions". Keeping the
     * fast loop and doing the tail vector in a method of its own allocated on JDK 25 (a second call site
     * of exp, not inlined).
     */
    static final int OVERLAP_MAX_COLS = Integer.getInteger("distill4j.softmax.overlapMaxCols", 8 * LANES);

    /** 0, 1, …, LANES − 1: compared with d for the mask of a tail vector's new lanes. */
    private static final float[] IOTA = new float[LANES];
    static {
        for (int i = 0; i < LANES; i++) IOTA[i] = i;
    }

    // x (rows, cols) -> y (rows, cols) = softmax(x / T) per row; y may be x
    public static void softmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        checkT("softmaxForward", t);
        float invT = 1f / t;
        float[] lanes = LaneSums.floats();
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            double sum = expShiftedInto(x, y, o, cols, max, invT, lanes);
            scaleRow(y, o, cols, (float) (1.0 / sum));
        }
    }

    // y = softmax output (rows, cols), dy (rows, cols) -> dx = y (dy − <dy, y>) / T
    static void softmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t, boolean accumulate) {
        checkT("softmaxBackward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        float[] lanes = LaneSums.floats();
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = 0;
            double dotD = 0;
            if (bound > 0) { // no vector phi on the path that skips the loop: it would be boxed
                FloatVector acc = FloatVector.fromArray(F, dy, o).mul(FloatVector.fromArray(F, y, o));
                for (j = LANES; j < bound; j += LANES) {
                    acc = FloatVector.fromArray(F, dy, o + j).fma(FloatVector.fromArray(F, y, o + j), acc);
                }
                acc.intoArray(lanes, 0);
                dotD = LaneSums.sum(lanes, LANES);
            }
            if (MASKED_TAILS && j < cols) { // lanes outside the row load as 0 and add 0
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector.fromArray(F, dy, o + j, m).mul(FloatVector.fromArray(F, y, o + j, m)).intoArray(lanes, 0);
                dotD += LaneSums.sum(lanes, LANES);
            } else {
                for (; j < cols; j++) dotD += (double) dy[o + j] * y[o + j];
            }
            float dot = (float) dotD;
            for (j = 0; j < bound; j += LANES) {
                FloatVector v = FloatVector.fromArray(F, dy, o + j).sub(dot).mul(FloatVector.fromArray(F, y, o + j)).mul(invT);
                if (accumulate) v = v.add(FloatVector.fromArray(F, dx, o + j));
                v.intoArray(dx, o + j);
            }
            if (MASKED_TAILS && j < cols) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector v = FloatVector.fromArray(F, dy, o + j, m).sub(dot).mul(FloatVector.fromArray(F, y, o + j, m)).mul(invT);
                if (accumulate) v = v.add(FloatVector.fromArray(F, dx, o + j, m));
                v.intoArray(dx, o + j, m);
            } else {
                for (; j < cols; j++) {
                    float v = (dy[o + j] - dot) * y[o + j] * invT;
                    dx[o + j] = accumulate ? dx[o + j] + v : v;
                }
            }
        }
    }

    // x (rows, cols) -> y = log_softmax(x / T) per row; y may be x
    public static void logSoftmaxForward(float[] x, float[] y, int rows, int cols, float t) {
        checkT("logSoftmaxForward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        float[] lanes = LaneSums.floats();
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            float max = rowMax(x, o, cols);
            float logSum = (float) Math.log(sumExpShifted(x, o, cols, max, invT, lanes));
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(F, x, o + j).sub(max).mul(invT).sub(logSum).intoArray(y, o + j);
            }
            if (MASKED_TAILS && j < cols) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector.fromArray(F, x, o + j, m).sub(max).mul(invT).sub(logSum).intoArray(y, o + j, m);
            } else {
                for (; j < cols; j++) y[o + j] = (x[o + j] - max) * invT - logSum;
            }
        }
    }

    // y = log-softmax output, dy -> dx = (dy − exp(y) Σ dy) / T
    static void logSoftmaxBackward(float[] y, float[] dy, float[] dx, int rows, int cols, float t, boolean accumulate) {
        checkT("logSoftmaxBackward", t);
        float invT = 1f / t;
        int bound = F.loopBound(cols);
        float[] q = rowBuffer(cols);
        float[] lanes = LaneSums.floats();
        for (int r = 0; r < rows; r++) {
            int o = r * cols;
            int j = 0;
            double sD = 0;
            if (bound > 0) {
                FloatVector acc = FloatVector.fromArray(F, dy, o);
                for (j = LANES; j < bound; j += LANES) acc = acc.add(FloatVector.fromArray(F, dy, o + j));
                acc.intoArray(lanes, 0);
                sD = LaneSums.sum(lanes, LANES);
            }
            if (MASKED_TAILS && j < cols) {
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector.fromArray(F, dy, o + j, m).intoArray(lanes, 0);
                sD += LaneSums.sum(lanes, LANES);
            } else {
                for (; j < cols; j++) sD += dy[o + j];
            }
            logSoftmaxBackwardRow(y, dy, dx, o, cols, (float) sD, invT, accumulate, q, lanes);
        }
    }

    /** Per-thread row of exps for {@link #logSoftmaxBackward}, grown on demand. */
    private static final ThreadLocal<float[][]> ROW = ThreadLocal.withInitial(() -> new float[1][0]);

    private static float[] rowBuffer(int cols) {
        float[][] holder = ROW.get();
        if (holder[0].length < cols) holder[0] = new float[cols];
        return holder[0];
    }

    // one row: q = exp(y) (SimdExp.expRow, the only vector exp), then dx = (dy − q·s) / T
    private static void logSoftmaxBackwardRow(float[] y, float[] dy, float[] dx, int o, int cols, float s, float invT,
                                              boolean accumulate, float[] q, float[] lanes) {
        SimdExp.expRow(y, o, q, 0, cols, 0f, 1f, lanes);
        int bound = F.loopBound(cols);
        int j = 0;
        for (; j < bound; j += LANES) {
            FloatVector v = FloatVector.fromArray(F, dy, o + j).sub(FloatVector.fromArray(F, q, j).mul(s)).mul(invT);
            if (accumulate) v = v.add(FloatVector.fromArray(F, dx, o + j));
            v.intoArray(dx, o + j);
        }
        for (; j < cols; j++) {
            float v = (dy[o + j] - q[j] * s) * invT;
            dx[o + j] = accumulate ? dx[o + j] + v : v;
        }
    }

    // logits z (rows, cols), labels (rows) -> Σ_rows −log q_label, q = softmax(z / T);
    // grad (rows, cols) = gradScale · (1/T) · (q − onehot(label)) when grad != null
    public static double softmaxCrossEntropyHard(float[] z, int[] labels, float[] grad, int rows, int cols, float t,
                                         float gradScale) {
        checkT("softmaxCrossEntropyHard", t);
        // every label first: a bad one must not leave half of grad written
        for (int r = 0; r < rows; r++) {
            if (labels[r] < 0 || labels[r] >= cols) {
                throw new IllegalArgumentException("softmaxCrossEntropyHard: label " + labels[r] + " of row " + r
                        + " is outside [0, " + cols + ") (logits " + rows + "×" + cols + ")");
            }
        }
        if ((long) rows * cols >= SimdParams.SOFTMAX_PARALLEL_MIN) return chunked(z, labels, null, grad, rows, cols, t, gradScale);
        return hardRows(z, labels, grad, 0, rows, cols, 1f / t, gradScale);
    }

    // rows [r0, r1) of softmaxCrossEntropyHard, labels checked: their losses added in row order
    private static double hardRows(float[] z, int[] labels, float[] grad, int r0, int r1, int cols, float invT, float gradScale) {
        float g = gradScale * invT;
        float[] lanes = LaneSums.floats();
        double loss = 0;
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            int label = labels[r];
            // pass 1: max
            float max = rowMax(z, o, cols);
            // pass 2: Σ exp((z − max)/T), keeping the exps in grad
            double sum = grad == null ? sumExpShifted(z, o, cols, max, invT, lanes) : expShiftedInto(z, grad, o, cols, max, invT, lanes);
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
    public static double softmaxCrossEntropySoft(float[] z, float[] p, float[] grad, int rows, int cols, float t,
                                         float gradScale) {
        checkT("softmaxCrossEntropySoft", t);
        if ((long) rows * cols >= SimdParams.SOFTMAX_PARALLEL_MIN) return chunked(z, null, p, grad, rows, cols, t, gradScale);
        return softRows(z, p, grad, 0, rows, cols, 1f / t, gradScale);
    }

    // rows [r0, r1) of softmaxCrossEntropySoft: their losses added in row order
    private static double softRows(float[] z, float[] p, float[] grad, int r0, int r1, int cols, float invT, float gradScale) {
        float g = gradScale * invT;
        int bound = F.loopBound(cols);
        float[] lanes = LaneSums.floats();
        double loss = 0;
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            // pass 1: max
            float max = rowMax(z, o, cols);
            // pass 2: Σ exp((z − max)/T), keeping the exps in grad
            double sum = grad == null ? sumExpShifted(z, o, cols, max, invT, lanes) : expShiftedInto(z, grad, o, cols, max, invT, lanes);
            double logSum = Math.log(sum);
            // pass 3: Σ_j p_j log q_j = invT·Σ_j p_j (z_j − max) − logSum·Σ_j p_j  (log q_j = (z_j − max)/T − logSum);
            // grad = g (q − p) = (g/sum)·exp − g·p. Both loss terms are ≤ 0: no cancellation.
            float gq = (float) (g / sum);
            int j = 0;
            double pd = 0, ps = 0;
            if (bound > 0) {
                FloatVector accPd = FloatVector.zero(F), accP = FloatVector.zero(F);
                FloatVector gqV = FloatVector.broadcast(F, gq);
                boolean overlap = OVERLAP_TAILS && cols < OVERLAP_MAX_COLS && bound < cols;
                int end = overlap ? bound - LANES : bound;
                for (; j < end; j += LANES) {
                    FloatVector pj = FloatVector.fromArray(F, p, o + j);
                    // 0 · (z − max) is 0 even where z = −∞ (a masked-out class), as in the reference
                    accPd = accPd.add(pj.mul(FloatVector.fromArray(F, z, o + j).sub(max)).blend(0f, pj.compare(VectorOperators.EQ, 0f)));
                    accP = accP.add(pj);
                    if (grad != null) FloatVector.fromArray(F, grad, o + j).fma(gqV, pj.mul(-g)).intoArray(grad, o + j);
                }
                if (overlap) {
                    // the last two vectors, at j and at cols − LANES, overlap in d lanes: both are read
                    // before either is written (grad is updated in place), the second one's first d
                    // lanes are dropped from the sums (a blend, so an infinite p or z − max cannot
                    // become NaN) and rewritten in grad with the values the first one stored
                    int last = cols - LANES;
                    FloatVector pa = FloatVector.fromArray(F, p, o + j), pb = FloatVector.fromArray(F, p, o + last);
                    VectorMask<Float> done = FloatVector.fromArray(F, IOTA, 0).compare(VectorOperators.LT, (float) (j + LANES - last));
                    accPd = accPd.add(pa.mul(FloatVector.fromArray(F, z, o + j).sub(max)).blend(0f, pa.compare(VectorOperators.EQ, 0f)));
                    accPd = accPd.add(pb.mul(FloatVector.fromArray(F, z, o + last).sub(max))
                            .blend(0f, done.or(pb.compare(VectorOperators.EQ, 0f))));
                    accP = accP.add(pa).add(pb.blend(0f, done));
                    if (grad != null) {
                        FloatVector ga = FloatVector.fromArray(F, grad, o + j), gb = FloatVector.fromArray(F, grad, o + last);
                        ga.fma(gqV, pa.mul(-g)).intoArray(grad, o + j);
                        gb.fma(gqV, pb.mul(-g)).intoArray(grad, o + last);
                    }
                    j = cols;
                }
                accPd.intoArray(lanes, 0);
                pd = LaneSums.sum(lanes, LANES);
                accP.intoArray(lanes, 0);
                ps = LaneSums.sum(lanes, LANES);
            }
            if (MASKED_TAILS && j < cols) {
                // p and z load as 0 outside the row; the masked sum drops those lanes' p·(z − max)
                VectorMask<Float> m = F.indexInRange(j, cols);
                FloatVector pj = FloatVector.fromArray(F, p, o + j, m);
                pj.mul(FloatVector.fromArray(F, z, o + j, m).sub(max)).blend(0f, pj.compare(VectorOperators.EQ, 0f))
                        .intoArray(lanes, 0);
                pd += LaneSums.sum(lanes, cols - j); // the lanes inside the row
                pj.intoArray(lanes, 0);
                ps += LaneSums.sum(lanes, LANES);
                if (grad != null) {
                    FloatVector.fromArray(F, grad, o + j, m).fma(FloatVector.broadcast(F, gq), pj.mul(-g)).intoArray(grad, o + j, m);
                }
            } else {
                for (; j < cols; j++) {
                    if (p[o + j] != 0f) pd += p[o + j] * (z[o + j] - max);
                    ps += p[o + j];
                    if (grad != null) grad[o + j] = Math.fma(grad[o + j], gq, p[o + j] * -g);
                }
            }
            loss -= invT * pd - logSum * ps;
        }
        return loss;
    }
    private static final LossTask TASK = new LossTask();

    /**
     * A large fused call: rows in chunks of about {@link SimdParams#SOFTMAX_CHUNK} logits, each chunk's
     * loss summed in row order and the chunks' sums added in chunk order, on the pool when it has
     * several threads (chunks taken from a shared counter) and on this thread otherwise. The chunking
     * depends only on the shape, so the loss and gradient are the same bits on every thread count.
     * labels != null: hard targets; else soft targets p.
     */
    private static double chunked(float[] z, int[] labels, float[] p, float[] grad, int rows, int cols, float t,
                                  float gradScale) {
        int chunkRows = Math.max(1, SimdParams.SOFTMAX_CHUNK / cols);
        int chunks = (rows + chunkRows - 1) / chunkRows;
        SimdPool pool = SimdPool.shared();
        synchronized (TASK) {
            TASK.set(z, labels, p, grad, rows, cols, 1f / t, gradScale, chunkRows, chunks);
            try {
                // one part (one thread or one chunk) runs here; a pool busy with another caller: all chunks here
                if (!pool.tryRun(TASK, Math.min(pool.threads(), chunks))) TASK.run(0, 1);
                double loss = 0;
                for (int c = 0; c < chunks; c++) loss += TASK.partial[c];
                return loss;
            } finally {
                TASK.clear();
            }
        }
    }

    /** The chunks of one large fused call; reused (no allocation once its partial sums fit). */
    private static final class LossTask implements SimdPool.Task {
        float[] z, p, grad;
        int[] labels;
        int rows, cols, chunkRows, chunks;
        float invT, gradScale;
        double[] partial = new double[0];
        final java.util.concurrent.atomic.AtomicInteger next = new java.util.concurrent.atomic.AtomicInteger();

        void set(float[] z, int[] labels, float[] p, float[] grad, int rows, int cols, float invT, float gradScale,
                 int chunkRows, int chunks) {
            this.z = z;
            this.labels = labels;
            this.p = p;
            this.grad = grad;
            this.rows = rows;
            this.cols = cols;
            this.invT = invT;
            this.gradScale = gradScale;
            this.chunkRows = chunkRows;
            this.chunks = chunks;
            if (partial.length < chunks) partial = new double[chunks];
            next.set(0);
        }

        void clear() {
            z = p = grad = null;
            labels = null;
        }

        @Override
        public void run(int part, int parts) {
            for (int c; (c = next.getAndIncrement()) < chunks; ) {
                int r0 = c * chunkRows, r1 = Math.min(rows, r0 + chunkRows);
                partial[c] = labels != null ? hardRows(z, labels, grad, r0, r1, cols, invT, gradScale)
                        : softRows(z, p, grad, r0, r1, cols, invT, gradScale);
            }
        }
    }

    // x row (cols) at offset o -> max_j x_j
    static float rowMax(float[] x, int o, int cols) {
        // compare + blend, not FloatVector.max: Java's max (NaN first, −0.0 < +0.0) is a six-instruction
        // dependent sequence on x86, and one chain of it cost as much as the exp pass (v2). A NaN is
        // not selected by a compare, but it reaches exp(NaN − max) and so the row's sum: the row's
        // outputs are NaN either way, as in the reference. Four accumulators: independent chains.
        // (No vector helper method: when C2 did not inline one, its vectors were boxed.)
        int bound = F.loopBound(cols);
        int j = 0;
        float max = Float.NEGATIVE_INFINITY;
        if (bound > 0) {
            FloatVector m0 = FloatVector.fromArray(F, x, o), m1 = m0, m2 = m0, m3 = m0;
            for (j = LANES; j <= bound - 4 * LANES; j += 4 * LANES) {
                FloatVector v0 = FloatVector.fromArray(F, x, o + j), v1 = FloatVector.fromArray(F, x, o + j + LANES);
                FloatVector v2 = FloatVector.fromArray(F, x, o + j + 2 * LANES), v3 = FloatVector.fromArray(F, x, o + j + 3 * LANES);
                m0 = m0.blend(v0, m0.compare(VectorOperators.LT, v0));
                m1 = m1.blend(v1, m1.compare(VectorOperators.LT, v1));
                m2 = m2.blend(v2, m2.compare(VectorOperators.LT, v2));
                m3 = m3.blend(v3, m3.compare(VectorOperators.LT, v3));
            }
            for (; j < bound; j += LANES) {
                FloatVector v = FloatVector.fromArray(F, x, o + j);
                m0 = m0.blend(v, m0.compare(VectorOperators.LT, v));
            }
            if (OVERLAP_TAILS && cols < OVERLAP_MAX_COLS && j < cols) { // the last whole vector: lanes seen twice do not change a max
                FloatVector v = FloatVector.fromArray(F, x, o + cols - LANES);
                m1 = m1.blend(v, m1.compare(VectorOperators.LT, v));
                j = cols;
            }
            m0 = m0.blend(m1, m0.compare(VectorOperators.LT, m1));
            m2 = m2.blend(m3, m2.compare(VectorOperators.LT, m3));
            m0 = m0.blend(m2, m0.compare(VectorOperators.LT, m2));
            max = m0.reduceLanes(VectorOperators.MAX);
        }
        if (MASKED_TAILS && j < cols) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            max = Math.max(max, FloatVector.fromArray(F, x, o + j, m).blend(Float.NEGATIVE_INFINITY, m.not())
                    .reduceLanes(VectorOperators.MAX));
        } else {
            for (; j < cols; j++) if (x[o + j] > max) max = x[o + j];
        }
        return max;
    }

    /** Σ_j exp((x_j − max)·invT) over one row ({@link SimdExp#expRow}). */
    static double sumExpShifted(float[] x, int o, int cols, float max, float invT, float[] lanes) {
        return SimdExp.expRow(x, o, null, 0, cols, max, invT, lanes);
    }

    /** Writes exp((x_j − max)·invT) into e (same row offset; e may be x) and returns their sum ({@link SimdExp#expRow}). */
    static double expShiftedInto(float[] x, float[] e, int o, int cols, float max, float invT, float[] lanes) {
        return SimdExp.expRow(x, o, e, o, cols, max, invT, lanes);
    }

    // y row (cols) at offset o -> y · s
    static void scaleRow(float[] y, int o, int cols, float s) {
        int bound = F.loopBound(cols);
        int j = 0;
        if (OVERLAP_TAILS && cols < OVERLAP_MAX_COLS && bound > 0 && bound < cols) {
            // the last whole vector, loaded before the loop scales part of it in place
            FloatVector tail = FloatVector.fromArray(F, y, o + cols - LANES);
            for (; j < bound; j += LANES) FloatVector.fromArray(F, y, o + j).mul(s).intoArray(y, o + j);
            tail.mul(s).intoArray(y, o + cols - LANES);
            return;
        }
        for (; j < bound; j += LANES) FloatVector.fromArray(F, y, o + j).mul(s).intoArray(y, o + j);
        if (MASKED_TAILS && j < cols) {
            VectorMask<Float> m = F.indexInRange(j, cols);
            FloatVector.fromArray(F, y, o + j, m).mul(s).intoArray(y, o + j, m);
        } else {
            for (; j < cols; j++) y[o + j] *= s;
        }
    }

    private static void checkT(String op, float t) {
        if (!(t > 0f) || Float.isInfinite(t)) {
            throw new IllegalArgumentException(op + ": temperature must be positive and finite, got " + t);
        }
    }
}
