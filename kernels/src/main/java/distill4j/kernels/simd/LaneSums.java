package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.LANES;

/**
 * Sums of a vector's lanes in lane order, ((0 + v₀) + v₁) + …, read from a per-thread buffer that the
 * vector was stored into: every row sum of the SIMD kernels goes through here instead of
 * {@code reduceLanes(ADD)}. The Vector API leaves the order of that reduction to the implementation.
 * JDK 17 adds in lane order, interpreted and compiled alike. JDK 25's C2 adds in another order than its
 * interpreter does: 570 of 1,000 float sums differed ({@code ReduceLanesOrder}), so a row sum rounded
 * one way before C2 compiled a kernel and another way after, and two runs of the same seed on JDK 25
 * could differ in their last bits. In lane order a sum is the same bits on every JDK, before and after
 * compilation, and on JDK 17 the same bits as {@code reduceLanes(ADD)} gave. The cost is one store and
 * LANES dependent scalar adds per row, as JDK 17's own reduction.
 *
 * <p>No method here takes a vector: a vector passed to a method that C2 does not inline is boxed (see
 * {@link SimdExp#expRow}).
 */
public final class LaneSums {
    private LaneSums() {}

    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[LANES]);
    private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[LANES]);

    /** This thread's buffer of at least {@code LANES} floats, for {@code v.intoArray(buffer, 0)}. */
    public static float[] floats() {
        return FLOATS.get();
    }

    /** This thread's buffer of at least {@code LANES} doubles (a double vector has LANES / 2). */
    public static double[] doubles() {
        return DOUBLES.get();
    }

    /** ((0 + l₀) + l₁) + … + l₍ₙ₋₁₎ in float: the order of {@code reduceLanes(ADD)} in the Vector API's Java code. */
    public static float sum(float[] lanes, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) s += lanes[i];
        return s;
    }

    /** ((0 + l₀) + l₁) + … + l₍ₙ₋₁₎ in double. */
    public static double sum(double[] lanes, int n) {
        double s = 0;
        for (int i = 0; i < n; i++) s += lanes[i];
        return s;
    }
}
