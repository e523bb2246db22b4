package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.F;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;

/**
 * e^x in float32 for the softmax kernels, where x = (z − max)/T ≤ 0: a vector version and its scalar
 * twin, which performs the same float operations in the same order (Math.fma for each FMA) and so gives
 * bit-identical results; the twin is the oracle of {@code SimdExpTest}.
 *
 * <p>Method (Cody–Waite): x = n·ln2 + r with n = round(x·log2 e), |r| ≤ ln2/2 (ln2 in two parts, so r
 * is accurate to float rounding); e^r by a degree-6 polynomial, fitted for minimal relative error on
 * [−ln2/2, ln2/2] (1.9e−9 in exact arithmetic, below float rounding); 2^n by writing n + 127 into the
 * exponent bits. Measured against Math.exp over a dense sweep of [−104, 0] (SimdExpTest, 2^22 points):
 * relative error at most 8.4e−8 (under 1 ulp) where e^x is a normal float. Where e^x is below the smallest normal float (x <
 * ln FLT_MIN ≈ −87.34) the result is 0 (an absolute error below 1.2e−38; gradual underflow would cost a
 * multiply per vector and nothing here can see it), and so is the result for −∞ and every large
 * negative x. NaN gives NaN. Valid for x ≤ 88 (here always x ≤ 0): there is no overflow clamp.
 *
 * <p>No {@code max/min} clamps of the argument (the first version had both): Java's float max/min must
 * order −0.0 and propagate NaN, which C2 compiles to a blend sequence per call on x86; the one compare
 * and blend at the end discards every lane where the reduction would be out of range.
 */
public final class SimdExp {
    private SimdExp() {}

    static final float LOG2E = 1.44269504088896341f;
    // ln 2 in two parts; LN2_HI has 9 significant bits, so n·LN2_HI is exact for |n| < 2^15 (Cody & Waite)
    static final float LN2_HI = 0.693359375f;
    static final float LN2_LO = -2.12194440e-4f;
    /** 1.5·2²³: adding it rounds a float of magnitude < 2²² to an integer held in the low mantissa bits. */
    static final float ROUND_MAGIC = 12582912f;
    static final int ROUND_MAGIC_BITS = 0x4B400000;
    /** ln(FLT_MIN): below it e^x is subnormal and the result is 0. */
    static final float EXP_LO = -87.33654475f;

    // e^r ≈ 1 + r + C2 r² + … + C6 r⁶ on |r| ≤ ln2/2 (Lawson/IRLS minimax fit of the relative error,
    // rounded to float; C0 = C1 = 1 exactly, so e^0 = 1 exactly)
    static final float C2 = 0.49999991059303284f;
    static final float C3 = 0.16666419804096222f;
    static final float C4 = 0.04166822507977486f;
    static final float C5 = 0.008374824188649654f;
    static final float C6 = 0.0013836835278198123f;

    /**
     * One row of softmax's exp pass: e[eo + j] = exp((x[xo + j] − shift)·scale) for 0 ≤ j &lt; cols, and
     * their sum; (x − shift)·scale ≤ 88. {@code e} may be {@code x} at the same offset (in place) or
     * {@code null} (the sum alone). Whole vectors are added lane-wise into one float vector, whose
     * lanes are then added in lane order ({@link LaneSums}, through {@code laneBuffer}, this thread's
     * {@link LaneSums#floats()}), and the scalar twin's values for the last cols mod LANES are added in
     * float64.
     *
     * <p>This is the only vector exp in the kernels, written out inside the loop that uses it. As a
     * method of its own ({@code FloatVector exp(FloatVector)}, up to 9e5e9f2) it was a call that C2
     * inlines only where its profile calls the site hot: a process whose first rows were narrow (10 or
     * 120 classes) and whose later rows were wide (1000) recompiled the kernel with exp out of line and
     * its vectors boxed, 3 to 5 MB of garbage per 128×1000 call and 9 to 15 times slower, on JDK 17 and 25
     * ({@code SoftmaxPassBench 128x10 128x1000}; {@code SimdAllocationTest} runs that order). A vector
     * that never crosses a call cannot be boxed, whatever the JIT decides to inline.
     */
    public static double expRow(float[] x, int xo, float[] e, int eo, int cols, float shift, float scale, float[] laneBuffer) {
        int bound = F.loopBound(cols), lanes = F.length();
        int j = 0;
        double sum = 0;
        if (bound > 0) { // the accumulator only on this path: a vector phi with the path that skips the loop is boxed
            FloatVector acc = FloatVector.zero(F);
            for (; j < bound; j += lanes) {
                FloatVector a = FloatVector.fromArray(F, x, xo + j).sub(shift).mul(scale);
                FloatVector t = a.fma(LOG2E, ROUND_MAGIC);              // magic + n, n = round(a·log2 e)
                FloatVector n = t.sub(ROUND_MAGIC);
                FloatVector r = n.fma(FloatVector.broadcast(F, -LN2_HI), a);
                r = n.fma(FloatVector.broadcast(F, -LN2_LO), r);        // r = a − n·ln2
                FloatVector p = r.fma(C6, C5);
                p = p.fma(r, FloatVector.broadcast(F, C4));
                p = p.fma(r, FloatVector.broadcast(F, C3));
                p = p.fma(r, FloatVector.broadcast(F, C2));
                p = p.fma(r, FloatVector.broadcast(F, 1f));
                p = p.fma(r, FloatVector.broadcast(F, 1f));
                // 2^n: n + 127 into the exponent field (n ≥ −126 on every lane that is kept)
                IntVector bits = t.reinterpretAsInts().add(127 - ROUND_MAGIC_BITS).lanewise(VectorOperators.LSHL, 23);
                FloatVector y = p.mul(bits.reinterpretAsFloats()).blend(0f, a.compare(VectorOperators.LT, EXP_LO));
                if (e != null) y.intoArray(e, eo + j);
                acc = acc.add(y);
            }
            acc.intoArray(laneBuffer, 0);
            sum = LaneSums.sum(laneBuffer, lanes);
        }
        for (; j < cols; j++) {
            float v = exp((x[xo + j] - shift) * scale);
            if (e != null) e[eo + j] = v;
            sum += v;
        }
        return sum;
    }

    /** The scalar twin of the vector exp in {@link #expRow}: the same operations, bit for bit. */
    public static float exp(float x) {
        float t = Math.fma(x, LOG2E, ROUND_MAGIC);
        float n = t - ROUND_MAGIC;
        float r = Math.fma(n, -LN2_HI, x);
        r = Math.fma(n, -LN2_LO, r);
        float p = Math.fma(r, C6, C5);
        p = Math.fma(p, r, C4);
        p = Math.fma(p, r, C3);
        p = Math.fma(p, r, C2);
        p = Math.fma(p, r, 1f);
        p = Math.fma(p, r, 1f);
        int bits = (Float.floatToRawIntBits(t) + (127 - ROUND_MAGIC_BITS)) << 23;
        float y = p * Float.intBitsToFloat(bits);
        return x < EXP_LO ? 0f : y;
    }

    /**
     * a (n) -> b (n) = e^a (a ≤ 88): {@link #expRow} over the whole array as one row, shift 0, scale 1.
     * Public for the benchmark's compute-floor peer ({@code SoftmaxCrossEntropyBench}, variant
     * "exp-pass") and for tests.
     */
    public static void expArray(float[] a, float[] b, int n) {
        expRow(a, 0, b, 0, n, 0f, 1f, LaneSums.floats());
    }
}
