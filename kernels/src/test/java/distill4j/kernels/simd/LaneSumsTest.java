package distill4j.kernels.simd;

import static distill4j.kernels.simd.SimdParams.LANES;
import static org.junit.jupiter.api.Assertions.assertEquals;

import distill4j.kernels.elementwise.SimdElementwise;
import distill4j.kernels.softmax.SimdSoftmax;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Row sums add a vector's lanes in lane order ({@link LaneSums}), so they are the same bits before and
 * after C2 compiles a kernel, on every JDK. Each sum is compared, bit for bit, with the same
 * arithmetic written out in scalar Java (the lane accumulators, then their lanes in order, then the
 * row's tail), on every one of a few thousand calls: the first ones run interpreted, the later ones
 * compiled. With {@code reduceLanes(ADD)} in the kernels this failed on JDK 25, whose C2 adds the
 * lanes in another order (570 of 1,000 float sums differ: {@code ReduceLanesOrder}); on JDK 17 it
 * passed either way.
 */
class LaneSumsTest {
    private static final int[] COLS = {LANES, LANES + 3, 120, 1000, 1001};
    private static final int CALLS = 3000;

    private static float[] random(long seed, int n, float lo, float hi) {
        Random rnd = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = lo + (hi - lo) * rnd.nextFloat();
        return a;
    }

    /** expRow's sum written out: float lane accumulators over whole vectors, lanes in order, tail in float64. */
    private static double expRowSum(float[] x, int cols, float shift, float scale) {
        int whole = cols / LANES * LANES;
        float[] acc = new float[LANES];
        for (int j = 0; j < whole; j++) acc[j % LANES] += SimdExp.exp((x[j] - shift) * scale);
        double sum = 0;
        if (whole > 0) {
            float s = 0f;
            for (float a : acc) s += a;
            sum = s;
        }
        for (int j = whole; j < cols; j++) sum += SimdExp.exp((x[j] - shift) * scale);
        return sum;
    }

    /** SimdElementwise.sum written out: two float64 accumulators (low and high half of each vector), added lane-wise, lanes in order. */
    private static double elementSum(float[] x, int n) {
        int half = LANES / 2, whole = n / LANES * LANES;
        double[] s0 = new double[half], s1 = new double[half];
        for (int j = 0; j < whole; j++) {
            int l = j % LANES;
            if (l < half) s0[l] += x[j];
            else s1[l - half] += x[j];
        }
        double s = 0;
        if (whole > 0) {
            for (int l = 0; l < half; l++) s += s0[l] + s1[l];
        }
        for (int j = whole; j < n; j++) s += x[j];
        return s;
    }

    @Test
    void expRowSumsAreInLaneOrderBeforeAndAfterCompilation() {
        float[] lanes = LaneSums.floats();
        for (int cols : COLS) {
            float[] x = random(cols, cols, -6f, 6f);
            float max = 6f, scale = 1f / 3f;
            long want = Double.doubleToRawLongBits(expRowSum(x, cols, max, scale));
            for (int call = 0; call < CALLS; call++) {
                double got = SimdExp.expRow(x, 0, null, 0, cols, max, scale, lanes);
                if (Double.doubleToRawLongBits(got) != want) {
                    assertEquals(expRowSum(x, cols, max, scale), got, 0.0, "cols " + cols + ", call " + call);
                }
            }
        }
    }

    @Test
    void elementwiseSumsAreInLaneOrderBeforeAndAfterCompilation() {
        for (int n : COLS) {
            float[] x = random(31 * n, n, -1f, 3f);
            long want = Double.doubleToRawLongBits(elementSum(x, n));
            for (int call = 0; call < CALLS; call++) {
                double got = new SimdElementwise().sum(x, n);
                if (Double.doubleToRawLongBits(got) != want) {
                    assertEquals(elementSum(x, n), got, 0.0, "n " + n + ", call " + call);
                }
            }
        }
    }

    @Test
    void softTargetLossIsTheSameBitsOnEveryCall() {
        // a whole fused kernel (max, exp, the loss's two lane sums): its first, interpreted call and its
        // compiled calls give one loss and one gradient
        int rows = 8, cols = 1000;
        float[] z = random(5, rows * cols, -4f, 4f), p = random(6, rows * cols, 0f, 1f), grad = new float[rows * cols];
        double first = new SimdSoftmax().softmaxCrossEntropySoft(z, p, grad, rows, cols, 2f, 1f);
        float[] firstGrad = grad.clone();
        for (int call = 0; call < CALLS; call++) {
            double loss = new SimdSoftmax().softmaxCrossEntropySoft(z, p, grad, rows, cols, 2f, 1f);
            assertEquals(Double.doubleToRawLongBits(first), Double.doubleToRawLongBits(loss), "loss of call " + call);
        }
        for (int i = 0; i < grad.length; i++) {
            assertEquals(Float.floatToRawIntBits(firstGrad[i]), Float.floatToRawIntBits(grad[i]), "grad[" + i + "]");
        }
    }
}
