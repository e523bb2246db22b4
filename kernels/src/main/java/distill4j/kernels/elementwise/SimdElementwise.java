package distill4j.kernels.elementwise;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.ELEMENTWISE_PARALLEL_MIN;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.Checks;
import distill4j.kernels.simd.LaneSums;
import distill4j.kernels.simd.RangeTask;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/** Bias, ReLU, axpy/scale and float64-accumulated reductions, vectorised; tails scalar. */
public final class SimdElementwise implements ElementwiseKernels {

    /** Doubles of the same vector width: a float vector widens into two of these. */
    static final VectorSpecies<Double> D = VectorSpecies.of(double.class, F.vectorShape());

    /** Column block of the bias gradient: this many vectors of accumulators stay in registers. */
    private static final int BIAS_BLOCK_VECTORS = 4;

    // Large calls run on the pool (SimdParams.ELEMENTWISE_PARALLEL_MIN): rows, columns or elements are
    // cut into one range per thread on vector boundaries, and each is computed by the same code as in
    // a one-thread call, so the bits do not depend on the thread count.

    // y (rows, cols) += bias (cols)
    @Override
    public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        Checks.matrices("biasAddForward", rows, cols, "y", y, (long) rows * cols, "bias", bias, cols);
        if ((long) rows * cols >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (BIAS_ADD) {
                BIAS_ADD.set(y, bias, null, null, cols, 0f, false);
                boolean ran = BIAS_ADD.runOnPool(rows, 1, Math.max(2, ELEMENTWISE_PARALLEL_MIN / Math.max(1, cols)));
                BIAS_ADD.clear();
                if (ran) return;
            }
        }
        biasAddRows(y, bias, cols, 0, rows);
    }

    // rows [r0, r1) of y (·, cols) += bias
    static void biasAddRows(float[] y, float[] bias, int cols, int r0, int r1) {
        int bound = F.loopBound(cols);
        for (int r = r0; r < r1; r++) {
            int o = r * cols;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(F, y, o + j).add(FloatVector.fromArray(F, bias, j)).intoArray(y, o + j);
            }
            for (; j < cols; j++) y[o + j] += bias[j];
        }
    }

    // dy (rows, cols) -> db (cols) = Σ_rows dy (or db += that); float lanes over rows, which the
    // reference sums in float64: the named tolerance of the bias family allows rows·ulp
    @Override
    public void biasBackward(float[] dy, float[] db, int rows, int cols, boolean accumulate) {
        Checks.matrices("biasBackward", rows, cols, "dy", dy, (long) rows * cols, "db", db, cols);
        if ((long) rows * cols >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (BIAS_BACKWARD) {
                BIAS_BACKWARD.set(dy, db, null, null, cols, 0f, accumulate);
                BIAS_BACKWARD.rows = rows;
                boolean ran = BIAS_BACKWARD.runOnPool(cols, LANES, 2 * LANES);
                BIAS_BACKWARD.clear();
                if (ran) return;
            }
        }
        biasBackwardColumns(dy, db, rows, cols, accumulate, 0, cols);
    }

    // columns [j0, j1) of the bias gradient; j0 a multiple of LANES. A column below loopBound(cols)
    // is summed in a float lane over the rows in order, whichever loop (block or single) takes it; the
    // columns from loopBound(cols) on are summed in float64, as in a one-thread call.
    static void biasBackwardColumns(float[] dy, float[] db, int rows, int cols, boolean accumulate, int j0, int j1) {
        int bound = Math.min(F.loopBound(cols), j1);
        int block = BIAS_BLOCK_VECTORS * LANES;
        int j = j0;
        for (; j + block <= bound; j += block) {
            FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
            for (int r = 0, o = j; r < rows; r++, o += cols) {
                s0 = s0.add(FloatVector.fromArray(F, dy, o));
                s1 = s1.add(FloatVector.fromArray(F, dy, o + LANES));
                s2 = s2.add(FloatVector.fromArray(F, dy, o + 2 * LANES));
                s3 = s3.add(FloatVector.fromArray(F, dy, o + 3 * LANES));
            }
            if (accumulate) {
                s0 = s0.add(FloatVector.fromArray(F, db, j));
                s1 = s1.add(FloatVector.fromArray(F, db, j + LANES));
                s2 = s2.add(FloatVector.fromArray(F, db, j + 2 * LANES));
                s3 = s3.add(FloatVector.fromArray(F, db, j + 3 * LANES));
            }
            s0.intoArray(db, j);
            s1.intoArray(db, j + LANES);
            s2.intoArray(db, j + 2 * LANES);
            s3.intoArray(db, j + 3 * LANES);
        }
        for (; j < bound; j += LANES) {
            FloatVector s = FloatVector.zero(F);
            for (int r = 0, o = j; r < rows; r++, o += cols) s = s.add(FloatVector.fromArray(F, dy, o));
            if (accumulate) s = s.add(FloatVector.fromArray(F, db, j));
            s.intoArray(db, j);
        }
        for (; j < j1; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += dy[r * cols + j];
            db[j] = accumulate ? (float) (db[j] + s) : (float) s;
        }
    }

    // x (n) -> y (n) = max(x, 0), NaN passed through; y may be x
    @Override
    public void reluForward(float[] x, float[] y, int n) {
        Checks.vectors("reluForward", n, "x", x, "y", y);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (RELU_FORWARD) {
                RELU_FORWARD.set(x, y, null, null, n, 0f, false);
                boolean ran = RELU_FORWARD.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                RELU_FORWARD.clear();
                if (ran) return;
            }
        }
        reluForwardRange(x, y, n, 0, n);
    }

    // elements [i0, i1) of y = max(x, 0); i0 a multiple of LANES
    static void reluForwardRange(float[] x, float[] y, int n, int i0, int i1) {
        int bound = Math.min(F.loopBound(n), i1);
        int i = i0;
        FloatVector zero = FloatVector.zero(F);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, i); // −0 gives +0; NaN is not ≤ 0: kept
        }
        for (; i < i1; i++) y[i] = x[i] <= 0f ? 0f : x[i];
    }

    // y, dy (n) -> dx = dy · [y > 0] (or dx += that); dx may be dy when not accumulating
    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        Checks.vectors("reluBackward", n, "y", y, "dy", dy);
        Checks.vectors("reluBackward", n, "dx", dx, "dx", dx);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (RELU_BACKWARD) {
                RELU_BACKWARD.set(y, dy, dx, null, n, 0f, accumulate);
                boolean ran = RELU_BACKWARD.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                RELU_BACKWARD.clear();
                if (ran) return;
            }
        }
        reluBackwardRange(y, dy, dx, n, accumulate, 0, n);
    }

    // elements [i0, i1) of dx (+)= dy · [y > 0]; i0 a multiple of LANES
    static void reluBackwardRange(float[] y, float[] dy, float[] dx, int n, boolean accumulate, int i0, int i1) {
        int bound = Math.min(F.loopBound(n), i1);
        FloatVector zero = FloatVector.zero(F);
        int i = i0;
        for (; i < bound; i += LANES) {
            FloatVector v = zero.blend(FloatVector.fromArray(F, dy, i),
                    FloatVector.fromArray(F, y, i).compare(VectorOperators.GT, 0f));
            if (accumulate) v = v.add(FloatVector.fromArray(F, dx, i));
            v.intoArray(dx, i);
        }
        for (; i < i1; i++) {
            float v = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    // x, y (n): y += a · x
    @Override
    public void axpy(int n, float a, float[] x, float[] y) {
        Checks.vectors("axpy", n, "x", x, "y", y);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (AXPY) {
                AXPY.set(x, y, null, null, n, a, false);
                boolean ran = AXPY.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                AXPY.clear();
                if (ran) return;
            }
        }
        axpyRange(n, a, x, y, 0, n);
    }

    // elements [i0, i1) of y += a · x; i0 a multiple of LANES
    static void axpyRange(int n, float a, float[] x, float[] y, int i0, int i1) {
        int bound = Math.min(F.loopBound(n), i1);
        int i = i0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, i).mul(a).add(FloatVector.fromArray(F, y, i)).intoArray(y, i);
        }
        for (; i < i1; i++) y[i] += a * x[i];
    }

    // x (n) *= a
    @Override
    public void scale(int n, float a, float[] x) {
        Checks.vectors("scale", n, "x", x, "x", x);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (SCALE) {
                SCALE.set(x, null, null, null, n, a, false);
                boolean ran = SCALE.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                SCALE.clear();
                if (ran) return;
            }
        }
        scaleRange(n, a, x, 0, n);
    }

    // elements [i0, i1) of x *= a; i0 a multiple of LANES
    static void scaleRange(int n, float a, float[] x, int i0, int i1) {
        int bound = Math.min(F.loopBound(n), i1);
        int i = i0;
        for (; i < bound; i += LANES) FloatVector.fromArray(F, x, i).mul(a).intoArray(x, i);
        for (; i < i1; i++) x[i] *= a;
    }

    // x [0, n) = value; large calls split over the pool (a store per element: memory-bound, and a
    // gradient zeroed before the step's accumulation is megabytes)
    @Override
    public void fill(int n, float value, float[] x) {
        Checks.vectors("fill", n, "x", x, "x", x);
        if (n >= ELEMENTWISE_PARALLEL_MIN) {
            synchronized (FILL) {
                FILL.set(x, null, null, null, n, value, false);
                boolean ran = FILL.runOnPool(n, LANES, ELEMENTWISE_PARALLEL_MIN);
                FILL.clear();
                if (ran) return;
            }
        }
        java.util.Arrays.fill(x, 0, n, value);
    }

    /** The pool jobs of the passes above: one per kernel, its arguments in fields (no allocation per call). */
    private abstract static class Pass extends RangeTask {
        float[] a, b, c, d;
        int n, rows;
        float s;
        boolean accumulate;

        final void set(float[] a, float[] b, float[] c, float[] d, int n, float s, boolean accumulate) {
            this.a = a;
            this.b = b;
            this.c = c;
            this.d = d;
            this.n = n;
            this.s = s;
            this.accumulate = accumulate;
        }

        final void clear() {
            a = b = c = d = null;
        }
    }

    private static final Pass BIAS_ADD = new Pass() { // a = y, b = bias, n = cols; range over rows
        @Override protected void range(int from, int to) { biasAddRows(a, b, n, from, to); }
    };
    private static final Pass BIAS_BACKWARD = new Pass() { // a = dy, b = db, n = cols; range over columns
        @Override protected void range(int from, int to) { biasBackwardColumns(a, b, rows, n, accumulate, from, to); }
    };
    private static final Pass RELU_FORWARD = new Pass() { // a = x, b = y
        @Override protected void range(int from, int to) { reluForwardRange(a, b, n, from, to); }
    };
    private static final Pass RELU_BACKWARD = new Pass() { // a = y, b = dy, c = dx
        @Override protected void range(int from, int to) { reluBackwardRange(a, b, c, n, accumulate, from, to); }
    };
    private static final Pass AXPY = new Pass() { // a = x, b = y, s = a
        @Override protected void range(int from, int to) { axpyRange(n, s, a, b, from, to); }
    };
    private static final Pass FILL = new Pass() { // a = x, s = value
        @Override protected void range(int from, int to) { java.util.Arrays.fill(a, from, to, s); }
    };
    private static final Pass SCALE = new Pass() { // a = x, s = a
        @Override protected void range(int from, int to) { scaleRange(n, s, a, from, to); }
    };

    // x (n) -> Σ x in float64: each float vector widens into two double vectors
    @Override
    public double sum(float[] x, int n) {
        Checks.vectors("sum", n, "x", x, "x", x);
        return sum(x, 0, n);
    }

    static double sum(float[] x, int o, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        double s = 0;
        if (bound > 0) { // no vector phi on the path that skips the loop (C2 would box it)
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
            for (; i < bound; i += LANES) {
                FloatVector v = FloatVector.fromArray(F, x, o + i);
                s0 = s0.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 0));
                s1 = s1.add((DoubleVector) v.convertShape(VectorOperators.F2D, D, 1));
            }
            double[] lanes = LaneSums.doubles();
            s0.add(s1).intoArray(lanes, 0);
            s = LaneSums.sum(lanes, D.length());
        }
        for (; i < n; i++) s += x[o + i];
        return s;
    }

    // x (n) -> Σ x² in float64
    @Override
    public double sumOfSquares(float[] x, int n) {
        Checks.vectors("sumOfSquares", n, "x", x, "x", x);
        return sumOfSquares(x, 0, n);
    }

    public static double sumOfSquares(float[] x, int o, int n) {
        int bound = F.loopBound(n);
        int i = 0;
        double s = 0;
        if (bound > 0) {
            DoubleVector s0 = DoubleVector.zero(D), s1 = s0;
            for (; i < bound; i += LANES) {
                FloatVector v = FloatVector.fromArray(F, x, o + i);
                DoubleVector d0 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 0);
                DoubleVector d1 = (DoubleVector) v.convertShape(VectorOperators.F2D, D, 1);
                s0 = d0.fma(d0, s0);
                s1 = d1.fma(d1, s1);
            }
            double[] lanes = LaneSums.doubles();
            s0.add(s1).intoArray(lanes, 0);
            s = LaneSums.sum(lanes, D.length());
        }
        for (; i < n; i++) s += (double) x[o + i] * x[o + i];
        return s;
    }
}
