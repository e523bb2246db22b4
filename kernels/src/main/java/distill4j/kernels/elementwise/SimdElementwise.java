package distill4j.kernels.elementwise;

import static distill4j.kernels.simd.SimdParams.F;
import static distill4j.kernels.simd.SimdParams.LANES;

import distill4j.kernels.Checks;
import distill4j.kernels.simd.LaneSums;

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

    // y (rows, cols) += bias (cols)
    @Override
    public void biasAddForward(float[] y, float[] bias, int rows, int cols) {
        Checks.matrices("biasAddForward", rows, cols, "y", y, (long) rows * cols, "bias", bias, cols);
        int bound = F.loopBound(cols);
        for (int r = 0; r < rows; r++) {
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
        int bound = F.loopBound(cols);
        int block = BIAS_BLOCK_VECTORS * LANES;
        int j = 0;
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
        for (; j < cols; j++) {
            double s = 0;
            for (int r = 0; r < rows; r++) s += dy[r * cols + j];
            db[j] = accumulate ? (float) (db[j] + s) : (float) s;
        }
    }

    // x (n) -> y (n) = max(x, 0), NaN passed through; y may be x
    @Override
    public void reluForward(float[] x, float[] y, int n) {
        Checks.vectors("reluForward", n, "x", x, "y", y);
        int bound = F.loopBound(n);
        int i = 0;
        FloatVector zero = FloatVector.zero(F);
        for (; i < bound; i += LANES) {
            FloatVector v = FloatVector.fromArray(F, x, i);
            v.blend(zero, v.compare(VectorOperators.LE, 0f)).intoArray(y, i); // −0 gives +0; NaN is not ≤ 0: kept
        }
        for (; i < n; i++) y[i] = x[i] <= 0f ? 0f : x[i];
    }

    // y, dy (n) -> dx = dy · [y > 0] (or dx += that); dx may be dy when not accumulating
    @Override
    public void reluBackward(float[] y, float[] dy, float[] dx, int n, boolean accumulate) {
        Checks.vectors("reluBackward", n, "y", y, "dy", dy);
        Checks.vectors("reluBackward", n, "dx", dx, "dx", dx);
        int bound = F.loopBound(n);
        FloatVector zero = FloatVector.zero(F);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector v = zero.blend(FloatVector.fromArray(F, dy, i),
                    FloatVector.fromArray(F, y, i).compare(VectorOperators.GT, 0f));
            if (accumulate) v = v.add(FloatVector.fromArray(F, dx, i));
            v.intoArray(dx, i);
        }
        for (; i < n; i++) {
            float v = y[i] > 0f ? dy[i] : 0f;
            dx[i] = accumulate ? dx[i] + v : v;
        }
    }

    // x, y (n): y += a · x
    @Override
    public void axpy(int n, float a, float[] x, float[] y) {
        Checks.vectors("axpy", n, "x", x, "y", y);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(F, x, i).mul(a).add(FloatVector.fromArray(F, y, i)).intoArray(y, i);
        }
        for (; i < n; i++) y[i] += a * x[i];
    }

    // x (n) *= a
    @Override
    public void scale(int n, float a, float[] x) {
        Checks.vectors("scale", n, "x", x, "x", x);
        int bound = F.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) FloatVector.fromArray(F, x, i).mul(a).intoArray(x, i);
        for (; i < n; i++) x[i] *= a;
    }

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
