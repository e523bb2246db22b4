package distill4j.kernels.elementwise;

import static distill4j.kernels.Close.assertClose;
import static distill4j.kernels.Close.uniform;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import distill4j.kernels.dropout.Philox;
import distill4j.kernels.Backend;
import distill4j.kernels.ScalarBackend;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The scalar bias, ReLU, axpy/scale and float64 reductions; and the contract table's scalar row. */
class ScalarElementwiseTest extends ElementwiseContract {
    @Override
    protected Backend backend() {
        return new ScalarBackend();
    }


    // ---------------------------------------------------------------- bias, ReLU, BLAS-1, reductions

    @Test
    void biasForwardAndBackward() {
        float[] y = {1, 2, 3, 4, 5, 6};
        new ScalarElementwise().biasAddForward(y, new float[] {10, 20, 30}, 2, 3);
        assertArrayEquals(new float[] {11, 22, 33, 14, 25, 36}, y);
        float[] db = {100, 100, 100};
        new ScalarElementwise().biasBackward(new float[] {1, 2, 3, 4, 5, 6}, db, 2, 3, false);
        assertArrayEquals(new float[] {5, 7, 9}, db);
        new ScalarElementwise().biasBackward(new float[] {1, 2, 3, 4, 5, 6}, db, 2, 3, true);
        assertArrayEquals(new float[] {10, 14, 18}, db);
        new ScalarElementwise().biasBackward(new float[0], db, 0, 3, false);
        assertArrayEquals(new float[] {0, 0, 0}, db, "zero rows sum to zero");
    }

    @Test
    void reluForwardAndBackward() {
        float[] x = {-2, -0f, 0, 3, Float.MIN_VALUE, -Float.MIN_VALUE};
        float[] y = new float[x.length];
        new ScalarElementwise().reluForward(x, y, x.length);
        assertArrayEquals(new float[] {0, 0, 0, 3, Float.MIN_VALUE, 0}, y);
        float[] dy = {1, 2, 3, 4, 5, 6}, dx = new float[6];
        new ScalarElementwise().reluBackward(y, dy, dx, 6, false);
        assertArrayEquals(new float[] {0, 0, 0, 4, 5, 0}, dx);
        new ScalarElementwise().reluBackward(x, dy, dx, 6, true); // the input gives the same sign test
        assertArrayEquals(new float[] {0, 0, 0, 8, 10, 0}, dx);
        float[] inPlace = x.clone();
        new ScalarElementwise().reluForward(inPlace, inPlace, inPlace.length);
        assertArrayEquals(y, inPlace);
    }

    @Test
    void axpyScaleAndFloat64Reductions() {
        float[] y = {1, 2, 3};
        new ScalarElementwise().axpy(3, 2f, new float[] {1, -1, 0.5f}, y);
        assertArrayEquals(new float[] {3, 0, 4}, y);
        new ScalarElementwise().scale(3, -0.5f, y);
        assertArrayEquals(new float[] {-1.5f, -0f, -2}, y);
        // 1 + 2^-30 · 2^20 times: lost entirely in a float32 accumulator, kept in float64
        int n = 1 << 20;
        float[] x = new float[n + 1];
        x[0] = 1f;
        Arrays.fill(x, 1, n + 1, 0x1p-30f);
        assertEquals(1.0 + 0x1p-10, new ScalarElementwise().sum(x, n + 1), 0.0);
        Arrays.fill(x, 1, n + 1, 0x1p-13f); // squares 2^-26: below half an ulp of 1 in float32
        assertEquals(1.0 + 0x1p-6, new ScalarElementwise().sumOfSquares(x, n + 1), 0.0);
        assertEquals(0.0, new ScalarElementwise().sum(x, 0), 0.0);
        assertEquals(25.0, new ScalarElementwise().sumOfSquares(new float[] {3, -4, 99}, 2), 0.0, "only n elements");
    }
}
